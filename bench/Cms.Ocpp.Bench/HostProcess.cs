using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Cms.Bench.Shared;

/// <summary>
/// The real AmpCMS host as a child process on a temporary (or given) store and a free loopback port, so load generators
/// and the host never share a process, and a test can kill it (SIGKILL) and start it again on the same store. Reads the
/// host's CPU time from /proc/&lt;pid&gt;/stat. Shared by the benches and Cms.IntegrationTests (linked source, no project
/// reference): it needs only the BCL and Microsoft.Data.Sqlite.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    public const string Token = "bench-admin-token-0123456789";
    private readonly Process _process;
    private readonly bool _ownsDir;

    private HostProcess(Process process, Uri address, string dir, bool ownsDir)
    {
        _process = process;
        Address = address;
        Directory = dir;
        _ownsDir = ownsDir;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public Uri Address { get; }
    public Uri WebSocketBase => new UriBuilder(Address) { Scheme = "ws" }.Uri;
    public string Directory { get; }
    public string DatabasePath => Path.Combine(Directory, "ampcms.db");
    public int Pid => _process.Id;
    public HttpClient Http { get; }

    /// <summary>Starts the host built next to this repository (Cms.Host/bin/Release) and waits for /health.</summary>
    public static Task<HostProcess> StartAsync(string? dir = null, params string[] extraArgs) => StartAsync(dir, _ => { }, extraArgs);

    /// <param name="configure">Changes the host's start, e.g. its environment: it inherits this process's, which a host
    /// run inside this process (a test's) may have set for itself.</param>
    public static async Task<HostProcess> StartAsync(string? dir, Action<ProcessStartInfo> configure, params string[] extraArgs)
    {
        var ownsDir = dir is null;
        dir ??= Path.Combine(Path.GetTempPath(), "ampcms-bench", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        var port = FreePort();
        var dll = HostDll();
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dir,
        };
        foreach (var a in (string[])[dll, $"--urls=http://127.0.0.1:{port}", $"--Storage:Path={Path.Combine(dir, "ampcms.db")}",
                     $"--Bootstrap:Token={Token}", "--Serilog:MinimumLevel:Default=Warning", .. extraArgs])
            psi.ArgumentList.Add(a);
        configure(psi);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the host");
        // Drain the host's console so it never blocks on a full pipe; keep the tail for error reports.
        var tail = new Queue<string>();
        void Keep(string? line) { if (line is null) return; lock (tail) { tail.Enqueue(line); if (tail.Count > 40) tail.Dequeue(); } }
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new HostProcess(process, new Uri($"http://127.0.0.1:{port}/"), dir, ownsDir);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"host exited with {process.ExitCode}: {string.Join('\n', tail)}");
            try
            {
                using var r = await host.Http.GetAsync("health");
                if (r.IsSuccessStatusCode) return host;
            }
            catch (HttpRequestException) { /* not listening yet */ }
            await Task.Delay(100);
        }
        await host.DisposeAsync();
        throw new TimeoutException($"host did not answer /health within {StartTimeout.TotalSeconds} s: " + string.Join('\n', tail));
    }

    /// <summary>Generous: a busy shared machine may take long to start the runtime and JIT the host.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Cms.Host.dll next to this program if it was copied there (a test project referencing the host), else the
    /// one of the same configuration found by walking up to the repository root (AMPCMS_HOST_DLL overrides: e.g. another
    /// commit's build, for a before/after on the same machine).</summary>
    public static string HostDll()
    {
        if (Environment.GetEnvironmentVariable("AMPCMS_HOST_DLL") is { Length: > 0 } chosen) return chosen;
        var beside = Path.Combine(AppContext.BaseDirectory, "Cms.Host.dll");
        if (File.Exists(beside)) return beside;
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Release";
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "AmpCms.sln")))
            {
                var dll = Path.Combine(d.FullName, "Cms.Host", "bin", configuration, "net10.0", "Cms.Host.dll");
                if (File.Exists(dll)) return dll;
                throw new FileNotFoundException($"build the host first: dotnet build -c {configuration} Cms.Host", dll);
            }
        throw new DirectoryNotFoundException("AmpCms.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>User + system CPU time the host has used so far.</summary>
    public TimeSpan CpuTime() => ProcessCpu(Pid);

    public static TimeSpan ProcessCpu(int pid)
    {
        // /proc/<pid>/stat: "pid (comm) state …": utime and stime are fields 14 and 15, in clock ticks.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11]) + long.Parse(fields[12]);
        return TimeSpan.FromSeconds((double)ticks / ClockTicksPerSecond);
    }

    private static readonly long ClockTicksPerSecond = Math.Max(1, SysConf(2 /* _SC_CLK_TCK */));

    [DllImport("libc", EntryPoint = "sysconf")]
    private static extern long SysConf(int name);

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async Task<string> CreateAsync(string path, object body)
    {
        using var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path} → {(int)response.StatusCode} {text}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("data")[0].GetProperty("id").GetString()!;
    }

    /// <summary>One network of N charge points with one connector each, chargers admitted without a secret (profile 0).</summary>
    public async Task<string[]> CreateChargersAsync(string prefix, int n, double kwPerCharger = 22.0)
    {
        var networkId = await CreateAsync("/v2/networks/", new { name = prefix, maxCapacity = n * kwPerCharger });
        var ids = Enumerable.Range(0, n).Select(i => $"{prefix}-{i:D4}").ToArray();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (ocppId, _) =>
        {
            var cp = await CreateAsync("/v2/charge_points/", new { name = ocppId, maxCapacity = 22.0, networkId, ocppId });
            await CreateAsync("/v2/connectors/", new { chargePointId = cp, connectorId = 1, maxCapacity = 22.0, currentType = "DC", voltage = 400 });
        });
        return ids;
    }

    /// <summary>Sampled values in this host's SQLite store, wherever they are: meter_values_all lists the indexed table and its
    /// journal (migration 041), one row per sample also of readings stored one row per element (071); a host from before
    /// 041 has the table only.</summary>
    public async Task<long> StoredMeterRowsAsync()
    {
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath};Pooling=false");
        await db.OpenAsync();
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT name FROM sqlite_master WHERE name = 'meter_values_all'";
        var table = await cmd.ExecuteScalarAsync() is null ? "meter_values" : "meter_values_all";
        cmd.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Resident set size of the host process (Linux /proc), in bytes.</summary>
    public long RssBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        return 0;
    }

    /// <summary>Sends SIGTERM and returns how long the host took to drain and exit (at most 60 s).</summary>
    public async Task<TimeSpan> TerminateAsync()
    {
        var clock = Stopwatch.StartNew();
        _ = Kill(_process.Id, 15);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(limit.Token);
        return clock.Elapsed;
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash. Returns once the process is gone, so the store is free.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    /// <summary>Graceful stop (SIGTERM), then waits; kills after 20 s.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        _ = Kill(_process.Id, 15);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try { await _process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { _process.Kill(); await _process.WaitForExitAsync(); }
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        Http.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_ownsDir)
            try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { /* best effort */ }
    }
}
