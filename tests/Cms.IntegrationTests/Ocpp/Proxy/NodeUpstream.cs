using System.Globalization;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Ocpp.Proxy;

/// <summary>
/// Drives tests/ocpp-client/upstream.js: a third-party CMS (ocpp-rpc RPCServer, strict mode, its own transaction ids)
/// that AmpCMS proxies chargers to. JSON lines in and out, through the same <see cref="NodeScript"/> as <see cref="NodeCharger"/>.
/// </summary>
public sealed class NodeUpstream : NodeScript
{
    static int _tags;

    NodeUpstream(IEnumerable<string> arguments) : base("upstream.js", arguments) { }

    public int Port { get; private set; }
    public string Url => $"ws://127.0.0.1:{Port}/upstream";

    /// <param name="port">0: any free port; else this one (an upstream that comes back where it was).</param>
    public static async Task<NodeUpstream> StartAsync(int txStart, int port = 0)
    {
        var upstream = new NodeUpstream(["--tx-start", txStart.ToString(CultureInfo.InvariantCulture), "--port", port.ToString(CultureInfo.InvariantCulture)]);
        upstream.Port = (int)(await upstream.WaitForAsync(e => (string?)e["event"] == "listening", "listening"))["port"]!;
        return upstream;
    }

    /// <summary>The upstream calls the charger; returns the "result" or "error" event.</summary>
    public async Task<JObject> CallAsync(string identity, string action, object payload)
    {
        var tag = "u" + Interlocked.Increment(ref _tags);
        await SendAsync(new { call = action, identity, payload, tag });
        return await WaitForAsync(e => (string?)e["event"] is "result" or "error" && (string?)e["tag"] == tag, $"answer to {action}");
    }

    /// <summary>The next <paramref name="count"/> calls of this action get a CALLERROR with this code.</summary>
    public async Task RefuseAsync(string action, string code, int count = 1)
    {
        await SendAsync(new { refuse = action, code, count });
        await WaitForAsync(e => (string?)e["event"] == "refusing" && (string?)e["action"] == action, $"refusing {action}");
    }

    public Task<JObject> ReceivedAsync(string identity, string action) =>
        WaitForAsync(e => (string?)e["event"] == "received" && (string?)e["identity"] == identity && (string?)e["action"] == action, $"received {action}");

    public List<JObject> Received(string identity)
    {
        lock (Events) return Events.Where(e => (string?)e["event"] == "received" && (string?)e["identity"] == identity).ToList();
    }
}
