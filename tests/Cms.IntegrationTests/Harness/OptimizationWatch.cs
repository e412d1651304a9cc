using System.Collections.Concurrent;
using Cms.Core.Domain;
using Cms.Core.Domain.Optimizations;
using Microsoft.Extensions.DependencyInjection;

namespace Cms.IntegrationTests.Harness;

/// <summary>Records every optimization run of a host, so tests wait for the run they caused instead of sleeping.</summary>
public sealed class OptimizationWatch
{
    private readonly ConcurrentQueue<OptimizationsPublished> _runs = new();

    /// <summary>How many runs were seen so far: pass it as "after" to wait only for runs caused by what follows.</summary>
    public int Count => _runs.Count;
    private readonly SemaphoreSlim _signal = new(0);

    public OptimizationWatch(TestHost host) =>
        host.Services.GetRequiredService<DomainEvents>().Subscribe<OptimizationsPublished>(run =>
        {
            _runs.Enqueue(run);
            _signal.Release();
        });

    /// <summary>The runs of the network seen so far, oldest first.</summary>
    public IReadOnlyList<OptimizationsPublished> Of(string networkId) => _runs.Where(r => r.NetworkId == networkId).ToList();

    /// <summary>The first run (past or future) of the network that satisfies the condition.</summary>
    public async Task<OptimizationsPublished> WaitAsync(string networkId, Func<OptimizationsPublished, bool> condition, int after = 0, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var match = _runs.Skip(after).LastOrDefault(r => r.NetworkId == networkId && condition(r));
            if (match is not null) return match;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _signal.WaitAsync(left))
                throw new TimeoutException($"no optimization of network {networkId} met the condition within {seconds} s");
        }
    }

    /// <summary>kW limit of each session in the first period, from the newest run that satisfies the condition.</summary>
    public async Task<Dictionary<string, double>> FirstLimitsAsync(string networkId, Func<Dictionary<string, double>, bool> condition, int after = 0)
    {
        var run = await WaitAsync(networkId, r => condition(Limits(r)), after);
        return Limits(run);
    }

    private static Dictionary<string, double> Limits(OptimizationsPublished run) =>
        run.Items.ToDictionary(i => i.Session.Id, i => i.LimitsKw[0]);
}
