using Cms.Core.Domain.Sessions;

namespace Cms.Host.Composition;

/// <summary>Runs the idle-session closer for the life of the process.</summary>
public sealed class IdleSessionWorker(IdleSessionCloser closer, ILogger<IdleSessionWorker> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        closer.RunAsync(e => log.LogError(e, "Closing idle sessions failed"), stoppingToken);
}
