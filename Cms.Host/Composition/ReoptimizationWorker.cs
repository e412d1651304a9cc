using Cms.Core.Domain.Optimizations;

namespace Cms.Host.Composition;

/// <summary>Runs the reoptimization loop for the life of the process; a failed run is logged and the loop goes on.</summary>
public sealed class ReoptimizationWorker(ReoptimizationLoop loop, ILogger<ReoptimizationWorker> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        loop.RunAsync((e, network) => log.LogError(e, "Optimization of network {NetworkId} failed", network), stoppingToken);
}
