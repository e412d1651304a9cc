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

    /// <summary>A schema-valid value against a rule the schema cannot state: PropertyConstraintViolation naming its path.</summary>
    public static OcppCallException Violation(string path, string description) =>
        new(OcppErrorCode.PropertyConstraintViolation, description, new JObject { ["path"] = path });

    public OcppErrorCode Code { get; }
    public string Description { get; }
    public JObject? Details { get; }
}
