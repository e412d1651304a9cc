using System.Diagnostics;
using System.Threading.Channels;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Tests.Support;

/// <summary>
/// A node script of tests/ocpp-client driven by JSON lines: commands in on stdin, events out on stdout. Every event is
/// kept in <see cref="Events"/> for assertions; <see cref="WaitForAsync"/> claims them one at a time. Shared by
/// <see cref="NodeCharger"/> (charger.js) and the proxy tests' upstream (upstream.js).
/// </summary>
public abstract class NodeScript : IAsyncDisposable
{
    readonly Process _process;
    readonly Channel<JObject> _events = Channel.CreateUnbounded<JObject>();
    readonly List<JObject> _unclaimed = [];
    readonly Task _pump;
    readonly string _script;
    int _disposed;

    /// <summary>Starts node on the script in tests/ocpp-client with these arguments.</summary>
    protected NodeScript(string script, IEnumerable<string> arguments)
    {
        if (!Directory.Exists(Path.Combine(ClientDirectory, "node_modules", "ocpp-rpc")))
            throw new InvalidOperationException($"ocpp-rpc is not installed: run {Path.Combine(ClientDirectory, "install.sh")} (npm ci)");
        var info = new ProcessStartInfo(FindNode() ?? "node")
        {
            WorkingDirectory = ClientDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        foreach (var arg in arguments)
            info.ArgumentList.Add(arg);
        _script = script;
        _process = Process.Start(info)!;
        _pump = Task.Run(PumpAsync);
    }

    public List<JObject> Events { get; } = [];

    public static string ClientDirectory { get; } = FindClientDirectory();

    /// <summary>Node needs seconds to start (ocpp-rpc compiles every schema on load), more on a busy machine.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    public async Task SendAsync(object command)
    {
        await _process.StandardInput.WriteLineAsync(JsonConvert.SerializeObject(command));
        await _process.StandardInput.FlushAsync();
    }

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
            string events;
            lock (Events)
                events = string.Join(" ", Events.Select(e => e.ToString(Formatting.None)));
            throw new TimeoutException($"No '{what}' from {_script}. Events: {events} {stderr}");
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
                // Timestamps stay the strings the script saw, so tests compare the wire format.
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

    /// <summary>Idempotent: a test may dispose early (a charger leaves), then `await using` disposes again.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        try
        {
            _process.StandardInput.Close(); // the scripts close their sockets and exit on EOF
            await _process.WaitForExitAsync(new CancellationTokenSource(WsClient.Wait).Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _pump.WaitAsync(WsClient.Wait).ContinueWith(_ => { }, TaskScheduler.Default);
        _process.Dispose();
        GC.SuppressFinalize(this);
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

    protected static string? FindNode() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(p => Path.Combine(p, "node"))
            .FirstOrDefault(File.Exists);
}
