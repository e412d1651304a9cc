using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Tests.Support;

/// <summary>
/// Drives tests/ocpp-client/charger.js (ocpp-rpc, strict mode): JSON-line commands in on stdin,
/// JSON-line events out on stdout. Every event is kept in <see cref="NodeScript.Events"/> for assertions.
/// </summary>
public sealed class NodeCharger : NodeScript
{
    NodeCharger(IEnumerable<string> arguments) : base("charger.js", arguments) { }

    /// <summary>Null when node is on PATH; otherwise why the node tests are skipped.</summary>
    public static string? SkipReason { get; } = FindNode() is null ? "node is not installed (needed for tests/ocpp-client)" : null;

    public static NodeCharger Start(Uri url, string protocol, string? password = null)
    {
        List<string> arguments = [url.ToString(), "--protocol", protocol];
        if (password is not null)
            arguments.AddRange(["--password", password]);
        return new NodeCharger(arguments);
    }

    public Task<JObject> WaitForEventAsync(string eventName, string? action = null) =>
        WaitForAsync(e => (string?)e["event"] == eventName && (action is null || (string?)e["action"] == action), $"{eventName} {action}");
}

/// <summary>A [Fact] that skips, with the reason, when node is not installed.</summary>
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute() => Skip = NodeCharger.SkipReason;
}
