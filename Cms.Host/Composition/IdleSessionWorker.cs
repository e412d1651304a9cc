using Cms.Core.Cluster;
using Cms.Core.Domain.Sessions;

namespace Cms.Host.Composition;

/// <summary>Runs the idle-session closer for the life of the process, on the one node that holds its job lease.</summary>
public sealed class IdleSessionWorker(IdleSessionCloser closer, IJobLeases jobs, ILogger<IdleSessionWorker> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        jobs.RunWhileHeldAsync("idle-sessions",
            held => closer.RunAsync(e => log.LogError(e, "Closing idle sessions failed"), held), stoppingToken);
}
