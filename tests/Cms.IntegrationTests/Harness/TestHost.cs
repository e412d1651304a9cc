using Cms.Host;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cms.IntegrationTests.Harness;

/// <summary>
/// The real AmpCMS host on a free loopback port with its own store (<see cref="TestStore"/>: a SQLite file, or a fresh
/// PostgreSQL database when AMPCMS_TEST_POSTGRES is set); talks real HTTP (and WebSocket). A test that restarts a host on
/// the same store creates the <see cref="TestStore"/> itself and passes its <see cref="TestStore.Args"/>.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    public const string AdminToken = "test-admin-token-0123456789";

    private readonly WebApplication _app;
    private readonly TestStore? _ownStore;

    private TestHost(WebApplication app, TestStore? ownStore, string dataDirectory, Uri baseAddress)
    {
        _app = app;
        _ownStore = ownStore;
        DataDirectory = dataDirectory;
        BaseAddress = baseAddress;
        Admin = new ApiClient(baseAddress, AdminToken);
    }

    public Uri BaseAddress { get; }
    public ApiClient Admin { get; }
    public IServiceProvider Services => _app.Services;
    public string DataDirectory { get; }
    public string DatabasePath => Path.Combine(DataDirectory, "ampcms.db");

    public static Task<TestHost> StartAsync(TimeProvider? time = null, params string[] extraArgs) => StartAsync(time, null, extraArgs);

    /// <summary>With <paramref name="overrides"/> replacing services after the host's own registrations.</summary>
    public static async Task<TestHost> StartAsync(TimeProvider? time, Action<IServiceCollection>? overrides, params string[] extraArgs)
    {
        // A test that passes a store of its own (a restart on the same store) keeps it; otherwise the host gets a fresh one.
        var given = extraArgs.LastOrDefault(a => a.StartsWith("--Storage:Path=", StringComparison.Ordinal));
        var store = given is null ? await TestStore.CreateAsync() : null;
        var dir = store?.Directory ?? Path.GetDirectoryName(given!["--Storage:Path=".Length..])!;
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            .. store?.Args ?? [],
            $"--Bootstrap:Token={AdminToken}",
            "--Serilog:MinimumLevel:Default=Warning",
            // A shared, overloaded test box must not turn runs into guard fallbacks; the guard's own tests pass a budget.
            "--Optimizer:BudgetMs=60000",
            .. extraArgs,
        ];
        try
        {
            var app = await AmpCmsApp.BuildAsync(args, services =>
            {
                if (time is not null) services.Replace(ServiceDescriptor.Singleton(time));
                overrides?.Invoke(services);
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new TestHost(app, store, dir, new Uri(address));
        }
        catch when (store is not null)
        {
            await store.DisposeAsync();
            throw;
        }
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
        var database = _app.Services.GetRequiredService<Cms.Core.Storage.Database>();
        await _app.DisposeAsync();
        await database.DisposeAsync();
        Admin.Dispose();
        if (_ownStore is not null) await _ownStore.DisposeAsync();
        if (stoppedOnItsOwn) throw new InvalidOperationException("the host stopped before the test ended: a background service failed (see the log)");
    }
}
