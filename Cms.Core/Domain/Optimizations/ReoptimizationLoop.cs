using System.Collections.Concurrent;
using System.Threading.Channels;
using Cms.Core.Diagnostics;
using Cms.Core.Cluster;
using Cms.Core.Resources;
using Dapper;

namespace Cms.Core.Domain.Optimizations;

/// <summary>
/// Keeps every network's optimization current. A change marks its network dirty; one worker replans dirty networks,
/// so a burst of changes gives one run (changes arriving during a run give exactly one more). Every period boundary
/// (15 minutes on the injected clock) replans each network with open sessions. With several nodes, a network is planned
/// only by the node holding its lease (<see cref="IPlanningLeases"/>); the others forward their triggers to it.
/// </summary>
public sealed class ReoptimizationLoop
{
    private readonly CoreContext _core;
    private readonly NetworkOptimizer _optimizer;
    private readonly IPlanningLeases _leases;
    private readonly ConcurrentDictionary<(string CustomerId, string NetworkId), byte> _dirty = new();
    private readonly Channel<(string CustomerId, string NetworkId)> _queue = Channel.CreateUnbounded<(string, string)>(new() { SingleReader = true });

    public ReoptimizationLoop(CoreContext core, NetworkOptimizer optimizer, IPlanningLeases leases)
    {
        _core = core;
        _optimizer = optimizer;
        _leases = leases;
        core.Events.OnNetworkChanged(change => Mark(change.CustomerId, change.NetworkId));
    }

    public void Mark(string customerId, string networkId)
    {
        var added = _dirty.TryAdd((customerId, networkId), 0);
        if (added) _queue.Writer.TryWrite((customerId, networkId));
        LoopTrace.Mark("net.changed", added ? "queued" : "merged");
    }

    public async Task RunAsync(Action<Exception, string> onError, CancellationToken stop)
    {
        using var boundary = _core.Clock.CreateTimer(_ => _ = MarkActiveNetworksAsync(onError), null,
            Planning.OptimizerInputBuilder.Period, Planning.OptimizerInputBuilder.Period);
        try
        {
            await foreach (var key in _queue.Reader.ReadAllAsync(stop))
            {
                _dirty.TryRemove(key, out _);
                LoopTrace.Mark("run.dequeued");
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                try
                {
                    if (!await _leases.TryHoldAsync(key.CustomerId, key.NetworkId))
                    {
                        _leases.Forward(key.CustomerId, key.NetworkId);
                        continue;
                    }
                    await _optimizer.RunAsync(key.CustomerId, key.NetworkId);
                    Cms.Core.Diagnostics.AmpMetrics.OptimizerRun(System.Diagnostics.Stopwatch.GetElapsedTime(started), ok: true);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Cms.Core.Diagnostics.AmpMetrics.OptimizerRun(System.Diagnostics.Stopwatch.GetElapsedTime(started), ok: false);
                    onError(e, key.NetworkId);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // shutting down
        }
    }

    private async Task MarkActiveNetworksAsync(Action<Exception, string> onError)
    {
        try
        {
            var networks = await _core.Db.ReadAsync(conn => conn.QueryAsync<(string CustomerId, string NetworkId)>(
                "SELECT DISTINCT customerId, networkId FROM charging_sessions_live"));
            foreach (var (customerId, networkId) in networks) Mark(customerId, networkId);
        }
        catch (Exception e) { onError(e, "period boundary"); }
    }
}
