using Cms.Ocpp.Connection;
using Cms.Ocpp.Endpoint;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Cms.Ocpp.Tests.Support;

/// <summary>A real Kestrel on 127.0.0.1:0 with the OCPP endpoint mapped and fake time injected.</summary>
public sealed class TestHost : IAsyncDisposable
{
    readonly WebApplication _app;

    TestHost(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }
    public FakeTimeProvider Time => (FakeTimeProvider)_app.Services.GetRequiredService<TimeProvider>();
    public OcppConnectionRegistry Registry => _app.Services.GetRequiredService<OcppConnectionRegistry>();
    public RecordingFrameLog FrameLog => _app.Services.GetRequiredService<RecordingFrameLog>();
    public RecordingEvents Events => _app.Services.GetRequiredService<RecordingEvents>();

    public Uri OcppUri(string path) => new(BaseUri, path);

    public static async Task<TestHost> StartAsync(
        IOcppCallHandler? handler = null,
        IChargerAuthenticator? authenticator = null,
        Action<OcppConnectionOptions>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero)));
        builder.Services.AddOcpp(configure);
        builder.Services.AddSingleton(handler ?? new TestCallHandler());
        builder.Services.AddSingleton(authenticator ?? new TestAuthenticator());
        builder.Services.AddSingleton<RecordingFrameLog>();
        builder.Services.AddSingleton<IOcppFrameLog>(sp => sp.GetRequiredService<RecordingFrameLog>());
        builder.Services.AddSingleton<RecordingEvents>();
        builder.Services.AddSingleton<IOcppConnectionEvents>(sp => sp.GetRequiredService<RecordingEvents>());

        var app = builder.Build();
        app.UseWebSockets();
        app.MapOcpp();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestHost(app, new Uri(address.Replace("http://", "ws://") + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }
}
