using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cms.Ocpp.Connection;

/// <summary>
/// On SIGTERM every charger's CALLs already read are answered, then its connection is closed with 1001 Going Away, so
/// chargers reconnect to the next instance knowing why. It starts as soon as the application starts stopping (Kestrel
/// would otherwise wait out its shutdown timeout on the open WebSockets).
/// </summary>
public sealed class OcppShutdown(OcppConnectionRegistry registry, IHostApplicationLifetime lifetime, ILogger<OcppShutdown> logger) : IHostedService
{
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    Task _drained = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(() => _drained = DrainAsync());
        return Task.CompletedTask;
    }

    /// <summary>Hosted services stop in reverse order: this one, registered after the message log writer, holds it back
    /// until the drain is over.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _drained.WaitAsync(cancellationToken);

    private async Task DrainAsync()
    {
        var connections = registry.Connections;
        if (connections.Count == 0) return;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(connections.Select(c => c.DrainAsync(DrainTimeout)));
        logger.LogInformation("Shutdown: {Count} OCPP connections drained and closed in {Milliseconds} ms", connections.Count, clock.ElapsedMilliseconds);
    }
}
