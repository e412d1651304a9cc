using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Cms.Storm.Bench;

/// <summary>The real AmpCMS host as a process of its own (its memory is what we measure), on a free loopback port.</summary>
public sealed class HostProcess : IAsyncDisposable
{
    public const string Token = "storm-bench-token-0123456789";
    private readonly Process _process;
    private readonly string _dir;

    private HostProcess(Process process, string dir, Uri address)
    {
        _process = process;
        _dir = dir;
        Address = address;
    }

    public Uri Address { get; }
    public int Pid => _process.Id;

    public static async Task<HostProcess> StartAsync(string hostDll)
    {
        var dir = Path.Combine(Path.GetTempPath(), "ampcms-storm-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                hostDll, $"--urls=http://127.0.0.1:{port}", $"--Storage:Path={Path.Combine(dir, "ampcms.db")}",
                $"--Bootstrap:Token={Token}", "--Serilog:MinimumLevel:Default=Warning",
            },
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line && line.Contains("ERR", StringComparison.Ordinal)) Console.Error.WriteLine("host: " + line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("host: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var address = new Uri($"http://127.0.0.1:{port}/");
        using var http = new HttpClient();
        for (var deadline = DateTime.UtcNow.AddSeconds(60); ; await Task.Delay(200))
        {
            if (process.HasExited) throw new InvalidOperationException("the host exited at start");
            try { if ((await http.GetAsync(new Uri(address, "health"))).IsSuccessStatusCode) break; }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline) { }
        }
        return new HostProcess(process, dir, address);
    }

    /// <summary>Sends SIGTERM and returns how long the host took to drain and exit.</summary>
    public async Task<TimeSpan> TerminateAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(limit.Token);
        return clock.Elapsed;
    }

    /// <summary>Resident set size of the host process (Linux /proc), in bytes.</summary>
    public long RssBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        return 0;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
