using Cms.Optimizer.Bench.Reference;

namespace Cms.Optimizer.Tests;

/// <summary>
/// Fleet is max-min fair in served fraction within a priority class when the class cannot all be served, among the
/// plans with the most energy; priorities still order the classes.
/// </summary>
public class FleetFairnessTests
{
    private static double E(OptimizationResult r, string id) => r.Schedules.Single(s => s.SessionId == id).PlannedEnergyKwh;

    [Fact]
    public void AScarceClassGetsTheSameShareOfWhatEachCarNeeds()
    {
        // 10 kWh for 4 + 8 + 12 = 24 asked, all staying to the end: each car gets 10/24 of its need, and all 10 kWh go
        // out. (Earliest-departure-then-smallest-need, as before, would finish a and b and leave c with 0.)
        var r = Build.Run(Build.Network(10, periods: 4), Objective.Fleet,
            Build.Session("a", needKwh: 4, departure: 4, cp: "cp1"), Build.Session("b", needKwh: 8, departure: 4, cp: "cp2"),
            Build.Session("c", needKwh: 12, departure: 4, cp: "cp3"));
        Assert.Equal(4 * 10 / 24.0, E(r, "a"), 2);
        Assert.Equal(8 * 10 / 24.0, E(r, "b"), 2);
        Assert.Equal(12 * 10 / 24.0, E(r, "c"), 2);
        Assert.Equal(10, r.Schedules.Sum(s => s.PlannedEnergyKwh), 6);
    }

    [Fact]
    public void EnergyAlreadyDeliveredCountsTowardsTheShare()
    {
        // Both still need 5 kWh; a has had 15 already (75 %), b nothing. 5 kWh to share: both end at 80 %.
        var r = Build.Run(Build.Network(10, periods: 2), Objective.Fleet,
            Build.Session("a", needKwh: 5, departure: 2, cp: "cp1") with { DeliveredKwh = 15 },
            Build.Session("b", needKwh: 5, departure: 2, cp: "cp2") with { DeliveredKwh = 0 });
        Assert.Equal(1, E(r, "a"), 2);
        Assert.Equal(4, E(r, "b"), 2);
    }

    [Fact]
    public void LevelsAreLexicographicWhenDeparturesDiffer()
    {
        // 2.5 kWh per period, three cars each needing 8 kWh, leaving after 1, 2 and 4 periods. a and b can only use
        // periods 0 and 1, so the best minimum is 2.5 kWh for all three; c alone can use periods 2 and 3 and takes them
        // (the next level up), so no energy is lost to fairness.
        var r = Build.Run(Build.Network(10, periods: 4), Objective.Fleet,
            Build.Session("a", needKwh: 8, departure: 1, cp: "cp1"), Build.Session("b", needKwh: 8, departure: 2, cp: "cp2"),
            Build.Session("c", needKwh: 8, departure: 4, cp: "cp3"));
        Assert.Equal(2.5, E(r, "a"), 2);
        Assert.Equal(2.5, E(r, "b"), 2);
        Assert.Equal(5, E(r, "c"), 2);
    }

    [Fact]
    public void PrioritiesStillOrderTheClasses()
    {
        // 10 kWh: the priority-1 car is served in full first (6 kWh); the two priority-3 cars share the other 4 kWh in
        // proportion to their needs; the priority-5 car gets nothing.
        var r = Build.Run(Build.Network(10, periods: 4), Objective.Fleet,
            Build.Session("p1", priority: 1, needKwh: 6, departure: 4, cp: "cp1"),
            Build.Session("p3a", needKwh: 4, departure: 4, cp: "cp2"), Build.Session("p3b", needKwh: 8, departure: 4, cp: "cp3"),
            Build.Session("p5", priority: 5, needKwh: 8, departure: 4, cp: "cp4"));
        Assert.Equal(6, E(r, "p1"), 2);
        Assert.Equal(4 * 4 / 12.0, E(r, "p3a"), 2);
        Assert.Equal(8 * 4 / 12.0, E(r, "p3b"), 2);
        Assert.Equal(0, E(r, "p5"), 6);
    }

    [Fact]
    public void TheLevelledPlanKeepsEnergyAndCostOnScarceNetworks()
    {
        // Scarce random networks (grid well under what the cars ask), mixed classes and energy already delivered, so the
        // levelled path runs: the hard rules hold, and energy and cost still equal an independent textbook min-cost
        // max-flow (fairness only chooses among the plans stage 1 allows).
        for (int seed = 0; seed < 400; seed++)
        {
            var rng = new Random(30_000 + seed);
            int periods = 2 + rng.Next(16);
            var net = new NetworkLimits
            {
                Periods = periods,
                GridLimitKw = Enumerable.Range(0, periods).Select(_ => Math.Round(3 + rng.NextDouble() * 20, 1)).ToArray(),
                Price = rng.Next(2) == 0 ? Enumerable.Range(0, periods).Select(_ => Math.Round(rng.NextDouble(), 2)).ToArray() : null,
            };
            var cps = Enumerable.Range(0, 1 + rng.Next(5)).Select(c => new ChargePointLimit($"cp{c}", 7.4 + rng.Next(3) * 7.6)).ToList();
            var sessions = Enumerable.Range(0, 2 + rng.Next(12)).Select(k => new SessionInput
            {
                Id = $"s{k:D2}", ChargePointId = cps[rng.Next(cps.Count)].Id, MaxKw = new[] { 3.7, 7.4, 11, 22 }[rng.Next(4)],
                EnergyNeedKwh = Math.Round(1 + rng.NextDouble() * 30, 1), DeparturePeriod = 1 + rng.Next(periods),
                Priority = 1 + 2 * rng.Next(3), DeliveredKwh = rng.Next(2) == 0 ? Math.Round(rng.NextDouble() * 20, 1) : null,
            }).ToList();
            var input = new OptimizationInput(net, cps, sessions, Objective.Fleet);
            var r = SmartChargingOptimizer.Optimize(input);
            Assert.Null(Invariants.Check(input, r));

            var (g, s, t) = ReferenceInstance.Build(input);
            var (flowW, costScaled) = MinCostFlow.Run(g, s, t);
            double energy = r.Schedules.Sum(x => x.PlannedEnergyKwh);
            Assert.True(Math.Abs(flowW * net.PeriodHours / 1000 - energy) < 1e-6, $"seed {seed}: energy {energy}");
            if (net.Price is { } price)
            {
                double cost = r.Schedules.Sum(x => x.LimitsKw.Select((kw, q) => kw * price[q] * net.PeriodHours).Sum());
                double refCost = costScaled / (double)ReferenceInstance.PriceScale * net.PeriodHours / 1000;
                Assert.True(Math.Abs(refCost - cost) < 1e-6, $"seed {seed}: cost {cost} vs {refCost}");
            }
        }
    }
}
