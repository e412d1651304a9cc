using System.Diagnostics;
using System.Threading.Channels;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Ocpp.Proxy;

/// <summary>
/// Drives tests/ocpp-client/upstream.js: a third-party CMS (ocpp-rpc RPCServer, strict mode, its own transaction ids)
/// that AmpCMS proxies chargers to. JSON lines in and out, like <see cref="NodeCharger"/>.
/// </summary>
public sealed class NodeUpstream : IAsyncDisposable
{
    readonly Process _process;
    readonly Channel<JObject> _events = Channel.CreateUnbounded<JObject>();
    readonly List<JObject> _unclaimed = [];
    readonly Task _pump;
    static int _tags;

    NodeUpstream(Process process)
    {
        _process = process;
        _pump = Task.Run(PumpAsync);
    }

    public List<JObject> Events { get; } = [];
    public int Port { get; private set; }
    public string Url => $"ws://127.0.0.1:{Port}/upstream";

    public static async Task<NodeUpstream> StartAsync(int txStart)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = NodeCharger.ClientDirectory,
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { "upstream.js", "--tx-start", txStart.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(arg);
        var upstream = new NodeUpstream(Process.Start(info)!);
        upstream.Port = (int)(await upstream.WaitForAsync(e => (string?)e["event"] == "listening", "listening"))["port"]!;
        return upstream;
    }

    public async Task SendAsync(object command)
    {
        await _process.StandardInput.WriteLineAsync(JsonConvert.SerializeObject(command));
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>The upstream calls the charger; returns the "result" or "error" event.</summary>
    public async Task<JObject> CallAsync(string identity, string action, object payload)
    {
        var tag = "u" + Interlocked.Increment(ref _tags);
        await SendAsync(new { call = action, identity, payload, tag });
        return await WaitForAsync(e => (string?)e["event"] is "result" or "error" && (string?)e["tag"] == tag, $"answer to {action}");
    }

    public Task<JObject> ReceivedAsync(string identity, string action) =>
        WaitForAsync(e => (string?)e["event"] == "received" && (string?)e["identity"] == identity && (string?)e["action"] == action, $"received {action}");

    public List<JObject> Received(string identity)
    {
        lock (Events) return Events.Where(e => (string?)e["event"] == "received" && (string?)e["identity"] == identity).ToList();
    }

    public async Task<JObject> WaitForAsync(Func<JObject, bool> match, string what)
    {
        var found = _unclaimed.FirstOrDefault(match);
        using var cts = new CancellationTokenSource(NodeCharger.Wait);
        try
        {
            while (found is null)
            {
                var next = await _events.Reader.ReadAsync(cts.Token);
                if (match(next)) found = next;
                else _unclaimed.Add(next);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            lock (Events)
                throw new TimeoutException($"No '{what}' from upstream.js. Events: {string.Join(" ", Events.Select(e => e.ToString(Formatting.None)))}");
        }
        _unclaimed.Remove(found);
        return found;
    }

    async Task PumpAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            JObject evt;
            try
            {
                using var reader = new JsonTextReader(new StringReader(line)) { DateParseHandling = DateParseHandling.None };
                evt = JObject.Load(reader);
            }
            catch (JsonException) { evt = new JObject { ["event"] = "stdout", ["text"] = line }; }
            lock (Events) Events.Add(evt);
            _events.Writer.TryWrite(evt);
        }
        _events.Writer.TryComplete();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        }
        catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        await _pump.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        _process.Dispose();
    }
}
