using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Framing;

/// <summary>One parsed OCPP-J message.</summary>
public abstract record OcppFrame(string MessageId)
{
    public abstract OcppMessageType Type { get; }
}

/// <summary>[2, id, action, payload]</summary>
public sealed record CallFrame(string MessageId, string Action, JObject Payload) : OcppFrame(MessageId)
{
    public override OcppMessageType Type => OcppMessageType.Call;

    /// <summary>The command a handler's reader made straight from the frame's text (<see cref="Connection.IOcppCallHandler.TryReadCall"/>):
    /// then that reader checked the schema, <see cref="Payload"/> is empty, and the handler answers the command.</summary>
    public object? Command { get; init; }
}

/// <summary>[3, id, payload]</summary>
public sealed record CallResultFrame(string MessageId, JObject Payload) : OcppFrame(MessageId)
{
    public override OcppMessageType Type => OcppMessageType.CallResult;
}

/// <summary>[4, id, code, description, details]; Code is kept as sent so nothing is lost.</summary>
public sealed record CallErrorFrame(string MessageId, string Code, string Description, JObject Details)
    : OcppFrame(MessageId)
{
    public override OcppMessageType Type => OcppMessageType.CallError;
}
