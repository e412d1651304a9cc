using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Cms.IntegrationTests.Harness;
using Cms.Ocpp.Tests.Support;

namespace Cms.IntegrationTests.Cluster;

/// <summary>
/// One node of a cluster: the real host as its own process (so it can be killed) on a free loopback port, with
/// AMPCMS_POSTGRES pointing at the cluster's database, as an operator would start it.
/// </summary>
public sealed class ClusterNode : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dir;

    private ClusterNode(Process process, string dir, Uri baseAddress)
    {
        _process = process;
        _dir = dir;
        BaseAddress = baseAddress;
        Admin = new ApiClient(baseAddress, TestHost.AdminToken);
    }

    public Uri BaseAddress { get; }
    public ApiClient Admin { get; }
    public Uri OcppUri(string path) => new($"ws://{BaseAddress.Authority}/{path.TrimStart('/')}");

    /// <summary>Why the cluster tests cannot run here, or null. test.sh starts a PostgreSQL and sets the variable.</summary>
    public static string? SkipReason { get; } =
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("AMPCMS_TEST_POSTGRES"))
            ? "AMPCMS_TEST_POSTGRES is not set (eval \"$(bash tests/postgres/start.sh --env)\" starts a PostgreSQL; test.sh does)"
            : NodeCharger.SkipReason;

    public static async Task<ClusterNode> StartAsync(string postgres)
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var dir = Path.Combine(Path.GetTempPath(), "ampcms-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Cms.Host.dll"), $"--urls=http://127.0.0.1:{port}",
                     $"--Storage:Path={Path.Combine(dir, "ampcms.db")}", $"--Bootstrap:Token={TestHost.AdminToken}",
                     "--Serilog:MinimumLevel:Default=Warning", "--Optimizer:BudgetMs=60000" })
            psi.ArgumentList.Add(a);
        psi.Environment["AMPCMS_POSTGRES"] = postgres;
        var process = Process.Start(psi)!;
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) log.Enqueue(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) log.Enqueue(line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new ClusterNode(process, dir, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"node exited with {process.ExitCode}: {string.Join("\n", log)}");
            try
            {
                using var health = await http.GetAsync("/health");
                if (health.IsSuccessStatusCode) return node;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { /* not listening yet */ }
            await Task.Delay(100);
        }
        await node.DisposeAsync();
        throw new TimeoutException("node did not answer /health within 90 s: " + string.Join("\n", log));
    }

    /// <summary>SIGKILL: no shutdown code runs; PostgreSQL sees its sessions end and frees its leases.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await KillAsync();
        _process.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { /* best effort */ }
    }
}
