using Cms.Host;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cms.IntegrationTests.Harness;

/// <summary>
/// The real AmpCMS host on a free loopback port with its own SQLite file; talks real HTTP (and WebSocket).
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    public const string AdminToken = "test-admin-token-0123456789";

    private readonly WebApplication _app;
    private readonly string _dir;

    private TestHost(WebApplication app, string dir, Uri baseAddress)
    {
        _app = app;
        _dir = dir;
        BaseAddress = baseAddress;
        Admin = new ApiClient(baseAddress, AdminToken);
    }

    public Uri BaseAddress { get; }
    public ApiClient Admin { get; }
    public IServiceProvider Services => _app.Services;
    public string DatabasePath => Path.Combine(_dir, "ampcms.db");

    public static Task<TestHost> StartAsync(TimeProvider? time = null, params string[] extraArgs) => StartAsync(time, null, extraArgs);

    /// <summary>With <paramref name="overrides"/> replacing services after the host's own registrations.</summary>
    public static async Task<TestHost> StartAsync(TimeProvider? time, Action<IServiceCollection>? overrides, params string[] extraArgs)
    {
        var dir = Path.Combine(Path.GetTempPath(), "ampcms-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--Storage:Path={Path.Combine(dir, "ampcms.db")}",
            $"--Bootstrap:Token={AdminToken}",
            "--Serilog:MinimumLevel:Default=Warning",
            // A shared, overloaded test box must not turn runs into guard fallbacks; the guard's own tests pass a budget.
            "--Optimizer:BudgetMs=60000",
            .. extraArgs,
        ];
        var app = await AmpCmsApp.BuildAsync(args, services =>
        {
            if (time is not null) services.Replace(ServiceDescriptor.Singleton(time));
            overrides?.Invoke(services);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestHost(app, dir, new Uri(address));
    }

    public ApiClient Client(string token) => new(BaseAddress, token);

    /// <summary>Stops the host as SIGTERM would (the store stays until DisposeAsync).</summary>
    public Task StopAsync()
    {
        _stoppedByTest = true;
        return _app.StopAsync();
    }

    private bool _stoppedByTest;

    public async ValueTask DisposeAsync()
    {
        // A background worker that throws stops the host on its own; no test may pass over that.
        var stoppedOnItsOwn = _app.Lifetime.ApplicationStopping.IsCancellationRequested && !_stoppedByTest;
        await _app.StopAsync();
        await _app.DisposeAsync();
        Admin.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { /* SQLite may still hold the WAL a moment */ }
        if (stoppedOnItsOwn) throw new InvalidOperationException("the host stopped before the test ended: a background service failed (see the log)");
    }
}
