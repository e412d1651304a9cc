using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Framing;

public static class OcppFrameSerializer
{
    /// <summary>The frame's text. A CALL or CALLRESULT is put together from its parts (the text Newtonsoft would write
    /// for the array): no array and writer per answer, and an empty payload, the usual answer to MeterValues,
    /// StatusNotification and Heartbeat alike, is not written at all.</summary>
    public static string Serialize(OcppFrame frame) => frame switch
    {
        CallFrame c => string.Concat("[2,", Quoted(c.MessageId), ",", Quoted(c.Action), ",", Text(c.Payload), "]"),
        // The plain id spliced in directly: the answer to every charger message, without a quoted copy of its id.
        CallResultFrame r => IsPlain(r.MessageId)
            ? string.Concat("[3,\"", r.MessageId, "\",", Text(r.Payload), "]")
            : string.Concat("[3,", JsonConvert.ToString(r.MessageId), ",", Text(r.Payload), "]"),
        CallErrorFrame e => new JArray((int)OcppMessageType.CallError, e.MessageId, e.Code, e.Description, e.Details).ToString(Formatting.None),
        _ => throw new ArgumentOutOfRangeException(nameof(frame), frame.GetType().Name, "Unknown frame type"),
    };

    /// <summary>A JSON string as Newtonsoft writes it; printable ASCII without a quote or a backslash (every message id
    /// seen in practice) needs no escaping and no writer.</summary>
    private static string Quoted(string text) => IsPlain(text) ? string.Concat("\"", text, "\"") : JsonConvert.ToString(text);

    private static bool IsPlain(string text) => !text.AsSpan().ContainsAnyExceptInRange(' ', '~') && !text.AsSpan().ContainsAny('"', '\\');

    private static string Text(JObject payload) => payload.Count == 0 ? "{}" : payload.ToString(Formatting.None);

    public static CallErrorFrame Error(string messageId, OcppErrorCode code, OcppVersion version, string description, JObject? details = null) =>
        new(messageId, code.ToWire(version), description, details ?? new JObject());
}
