using Cms.Core.Domain.Optimizations;
using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;
using Cms.Optimizer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Optimizations;

/// <summary>
/// A run that overruns its budget falls back to the last plan scaled to the current limit, the site stays within it,
/// and the fallback is an event. The slowness is injected (the solver blocks until the test ends), not timed.
/// </summary>
public sealed class OptimizerGuardTests
{
    /// <summary>Solves normally until told to hang; then every solve blocks until the test is over.</summary>
    private sealed class HangingSolver : OptimizerSolver, IDisposable
    {
        private readonly ManualResetEventSlim _release = new(false);
        public volatile bool Hang;

        public override OptimizationResult Solve(OptimizationInput input)
        {
            if (Hang) _release.Wait();
            return base.Solve(input);
        }

        public void Dispose() => _release.Set();
    }

    [Fact]
    public async Task A_run_over_its_budget_falls_back_to_the_last_plan_scaled_to_the_new_limit()
    {
        using var solver = new HangingSolver();
        await using var host = await TestHost.StartAsync(null, services => services.Replace(ServiceDescriptor.Singleton<OptimizerSolver>(solver)),
            "--Optimizer:BudgetMs=200");
        var api = host.Admin;
        var watch = new OptimizationWatch(host);
        var network = (await api.Network(30)).Id();
        var cp = (await api.ChargePoint(network, maxCapacity: 150)).Id();
        await api.Connector(cp, 1, 75, "DC", 400);
        await api.Connector(cp, 2, 75, "DC", 400);
        var a = (await api.Create("/v2/charging_sessions", new { chargePointId = cp, connectorId = 1 })).Id();
        var b = (await api.Create("/v2/charging_sessions", new { chargePointId = cp, connectorId = 2 })).Id();
        var normal = await watch.FirstLimitsAsync(network, l => l.Count == 2);
        Assert.Equal(14.7, normal[a], 6);

        // Every solve from now on hangs; the grid connection drops to 10 kW (9.8 after the 2 % buffer).
        solver.Hang = true;
        var before = watch.Count;
        Assert.Equal(200, (await api.Patch($"/v2/networks/{network}", new { maxCapacity = 10 })).Status);
        // A run planned before the hang may still be published after this point (runs are stored after delivery):
        // the run caused by the drop is the first one whose limits went down.
        var run = await watch.WaitAsync(network, r => r.Items.Count == 2 && r.Items.All(i => i.LimitsKw[0] < normal[a]), after: before);
        foreach (var item in run.Items) Assert.All(item.LimitsKw, kw => Assert.True(kw <= 4.9 + 1e-9, $"{kw} kW"));
        Assert.Equal(4.9, run.Items.Single(i => i.Session.Id == a).LimitsKw[0], 6);
        Assert.Equal(9.8, run.Items.Sum(i => i.LimitsKw[0]), 6);

        var events = await OcppKit.EventuallyAsync(() => api.Get($"/v2/events?network={network}&category=Optimization&limit=100"),
            r => r.Data.Any(e => ((string?)e["description"])?.Contains("budget") == true), "fallback event");
        var fallback = events.Data.First(e => ((string?)e["description"])!.Contains("budget"));
        Assert.Equal("Warning", (string?)fallback["urgency"]);
        var details = fallback["details"] is JObject d ? d : JObject.Parse((string)fallback["details"]!);
        Assert.True((bool)details["fallback"]!);
    }

    [Fact]
    public async Task Every_run_reports_its_gap_to_the_snapshot_optimum()
    {
        await using var host = await TestHost.StartAsync();
        var api = host.Admin;
        var watch = new OptimizationWatch(host);
        var network = (await api.Network(30)).Id();
        var cp = (await api.ChargePoint(network, maxCapacity: 150)).Id();
        await api.Connector(cp, 1, 75, "DC", 400);
        await api.Create("/v2/charging_sessions", new { chargePointId = cp, connectorId = 1, energyToCharge = 5 });
        await watch.WaitAsync(network, r => r.Items.Count == 1);
        var events = await OcppKit.EventuallyAsync(() => api.Get($"/v2/events?network={network}&category=Optimization"),
            r => r.Data.Any(e => ((string?)e["description"])?.Contains("gap") == true), "optimization event with its gap");
        var e = events.Data.First(x => ((string?)x["description"])!.Contains("gap"));
        var details = e["details"] is JObject d ? d : JObject.Parse((string)e["details"]!);
        Assert.Equal(5, (double)details["optimumEnergyKwh"]!, 3);
        Assert.Equal(5, (double)details["plannedEnergyKwh"]!, 3);
        Assert.Equal(0, (double)details["optimalityGapPct"]!, 3);
        Assert.False((bool)details["fallback"]!);
    }
}
