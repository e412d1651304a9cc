using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Framing;

public static class OcppFrameSerializer
{
    public static string Serialize(OcppFrame frame)
    {
        var array = frame switch
        {
            CallFrame c => new JArray((int)OcppMessageType.Call, c.MessageId, c.Action, c.Payload),
            CallResultFrame r => new JArray((int)OcppMessageType.CallResult, r.MessageId, r.Payload),
            CallErrorFrame e => new JArray((int)OcppMessageType.CallError, e.MessageId, e.Code, e.Description, e.Details),
            _ => throw new ArgumentOutOfRangeException(nameof(frame), frame.GetType().Name, "Unknown frame type"),
        };
        return array.ToString(Formatting.None);
    }

    public static CallErrorFrame Error(string messageId, OcppErrorCode code, OcppVersion version, string description, JObject? details = null) =>
        new(messageId, code.ToWire(version), description, details ?? new JObject());
}
