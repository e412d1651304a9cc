using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cms.IntegrationTests.Harness;

/// <summary>
/// The real host as its own process (Cms.Host.dll next to the tests) on a given store and a free loopback port, for
/// what the in-process <see cref="TestHost"/> cannot do: be killed with SIGKILL and started again on the same store.
/// </summary>
public sealed class ChildHost : IAsyncDisposable
{
    private readonly Process _process;

    private ChildHost(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Admin = new ApiClient(baseAddress, TestHost.AdminToken);
    }

    public Uri BaseAddress { get; }
    public ApiClient Admin { get; }
    public Uri OcppUri(string path) => new($"ws://{BaseAddress.Authority}/{path.TrimStart('/')}");

    public static async Task<ChildHost> StartAsync(TestStore store)
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var psi = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
            WorkingDirectory = store.Directory,
        };
        foreach (var a in (string[])[Path.Combine(AppContext.BaseDirectory, "Cms.Host.dll"), $"--urls=http://127.0.0.1:{port}",
                     .. store.Args, $"--Bootstrap:Token={TestHost.AdminToken}", "--Serilog:MinimumLevel:Default=Warning"])
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new ChildHost(process, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            Assert.False(process.HasExited, $"host exited with {(process.HasExited ? process.ExitCode : 0)}");
            try
            {
                using var health = await http.GetAsync("/health");
                if (health.IsSuccessStatusCode) return host;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { /* not listening yet */ }
            await Task.Delay(100);
        }
        await host.DisposeAsync();
        throw new TimeoutException("host did not answer /health within 90 s");
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or a power cut of the process.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
    }
}
