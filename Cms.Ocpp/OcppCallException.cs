using Newtonsoft.Json.Linq;

namespace Cms.Ocpp;

/// <summary>Thrown by a call handler to answer a CALL with a CALLERROR instead of a CALLRESULT.</summary>
public class OcppCallException : Exception
{
    public OcppCallException(OcppErrorCode code, string description, JObject? details = null)
        : base(description)
    {
        Code = code;
        Description = description;
        Details = details;
    }

    public OcppErrorCode Code { get; }
    public string Description { get; }
    public JObject? Details { get; }
}
