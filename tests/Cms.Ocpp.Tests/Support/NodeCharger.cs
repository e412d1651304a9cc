using System.Diagnostics;
using System.Threading.Channels;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Tests.Support;

/// <summary>
/// Drives tests/ocpp-client/charger.js (ocpp-rpc, strict mode): JSON-line commands in on stdin,
/// JSON-line events out on stdout. Every event is kept in <see cref="Events"/> for assertions.
/// </summary>
public sealed class NodeCharger : IAsyncDisposable
{
    readonly Process _process;
    readonly Channel<JObject> _events = Channel.CreateUnbounded<JObject>();
    readonly List<JObject> _unclaimed = [];
    readonly Task _pump;
    int _disposed;

    NodeCharger(Process process)
    {
        _process = process;
        _pump = Task.Run(PumpAsync);
    }

    public List<JObject> Events { get; } = [];

    public static string ClientDirectory { get; } = FindClientDirectory();

    /// <summary>Null when node is on PATH; otherwise why the node tests are skipped.</summary>
    public static string? SkipReason { get; } = FindNode() is null ? "node is not installed (needed for tests/ocpp-client)" : null;

    public static NodeCharger Start(Uri url, string protocol, string? password = null)
    {
        if (!Directory.Exists(Path.Combine(ClientDirectory, "node_modules", "ocpp-rpc")))
            throw new InvalidOperationException($"ocpp-rpc is not installed: run {Path.Combine(ClientDirectory, "install.sh")} (npm ci)");
        var info = new ProcessStartInfo(FindNode()!)
        {
            WorkingDirectory = ClientDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "charger.js", url.ToString(), "--protocol", protocol })
            info.ArgumentList.Add(arg);
        if (password is not null)
        {
            info.ArgumentList.Add("--password");
            info.ArgumentList.Add(password);
        }
        return new NodeCharger(Process.Start(info)!);
    }

    public async Task SendAsync(object command)
    {
        await _process.StandardInput.WriteLineAsync(JsonConvert.SerializeObject(command));
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Node needs seconds to start (ocpp-rpc compiles every schema on load), more on a busy machine.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    /// <summary>The first not-yet-claimed event that matches, waiting up to <see cref="Wait"/>.</summary>
    public async Task<JObject> WaitForAsync(Func<JObject, bool> match, string what)
    {
        var found = _unclaimed.FirstOrDefault(match);
        using var cts = new CancellationTokenSource(Wait);
        try
        {
            while (found is null)
            {
                var next = await _events.Reader.ReadAsync(cts.Token);
                if (match(next))
                    found = next;
                else
                    _unclaimed.Add(next);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            var stderr = _process.HasExited ? await _process.StandardError.ReadToEndAsync() : "";
            throw new TimeoutException($"No '{what}' from charger.js. Events: {string.Join(" ", Events.Select(e => e.ToString(Formatting.None)))} {stderr}");
        }
        _unclaimed.Remove(found);
        return found;
    }

    public Task<JObject> WaitForEventAsync(string eventName, string? action = null) =>
        WaitForAsync(e => (string?)e["event"] == eventName && (action is null || (string?)e["action"] == action), $"{eventName} {action}");

    async Task PumpAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            JObject evt;
            try
            {
                // Timestamps stay the strings the charger saw, so tests compare the wire format.
                using var reader = new JsonTextReader(new StringReader(line)) { DateParseHandling = DateParseHandling.None };
                evt = JObject.Load(reader);
            }
            catch (JsonException)
            {
                evt = new JObject { ["event"] = "stdout", ["text"] = line };
            }
            lock (Events)
                Events.Add(evt);
            _events.Writer.TryWrite(evt);
        }
        _events.Writer.TryComplete();
    }

    /// <summary>Idempotent: a test may dispose early to disconnect the charger, then `await using` disposes again.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        try
        {
            _process.StandardInput.Close(); // charger.js closes its socket and exits on EOF
            await _process.WaitForExitAsync(new CancellationTokenSource(WsClient.Wait).Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _pump.WaitAsync(WsClient.Wait).ContinueWith(_ => { }, TaskScheduler.Default);
        _process.Dispose();
    }

    static string FindClientDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "ocpp-client");
            if (File.Exists(Path.Combine(candidate, "charger.js")))
                return candidate;
        }
        throw new DirectoryNotFoundException("tests/ocpp-client/charger.js not found above " + AppContext.BaseDirectory);
    }

    static string? FindNode() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(p => Path.Combine(p, "node"))
            .FirstOrDefault(File.Exists);
}

/// <summary>A [Fact] that skips, with the reason, when node is not installed.</summary>
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute() => Skip = NodeCharger.SkipReason;
}
