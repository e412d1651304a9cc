using Cms.Core.Domain.Optimizations;

namespace Cms.Host.Composition;

/// <summary>Stores optimization runs for the life of the process and drains the queue on shutdown.</summary>
public sealed class OptimizationStoreWorker(OptimizationStore store, ILogger<OptimizationStoreWorker> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        store.RunAsync((e, network) => log.LogError(e, "Storing the optimization of network {NetworkId} failed", network), stoppingToken);
}
