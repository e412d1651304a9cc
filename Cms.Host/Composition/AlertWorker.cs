using Cms.Core.Domain.Alerts;

namespace Cms.Host.Composition;

/// <summary>Runs the alert engine for the life of the process.</summary>
public sealed class AlertWorker(AlertEngine engine, ILogger<AlertWorker> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        engine.RunAsync(e => log.LogError(e, "Evaluating an alert failed"), stoppingToken);
}
