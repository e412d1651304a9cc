using Cms.Optimizer.Bench.Reference;

namespace Cms.Optimizer.Tests;

/// <summary>
/// Fleet must equal an independent textbook min-cost max-flow (generic graph, Dinic / Dijkstra SSP) on random
/// instances where rounding can't interfere (no minimum load, no step): same energy, same cost.
/// </summary>
public class ExactnessTests
{
    [Fact]
    public void FleetMatchesTheReferenceMinCostFlow()
    {
        for (int seed = 0; seed < 400; seed++)
        {
            var rng = new Random(10_000 + seed);
            int periods = 2 + rng.Next(20);
            var net = new NetworkLimits
            {
                Periods = periods,
                GridLimitKw = Enumerable.Range(0, periods).Select(_ => Math.Round(5 + rng.NextDouble() * 60, 1)).ToArray(),
                Price = Enumerable.Range(0, periods).Select(_ => Math.Round(rng.NextDouble(), 2)).ToArray(),
            };
            var cps = Enumerable.Range(0, 1 + rng.Next(5)).Select(c => new ChargePointLimit($"cp{c}", 7.4 + rng.Next(3) * 7.6)).ToList();
            var sessions = Enumerable.Range(0, 1 + rng.Next(14)).Select(k => new SessionInput
            {
                Id = $"s{k:D2}", ChargePointId = cps[rng.Next(cps.Count)].Id, MaxKw = new[] { 3.7, 7.4, 11, 22 }[rng.Next(4)],
                EnergyNeedKwh = Math.Round(rng.NextDouble() * 40, 1), DeparturePeriod = 1 + rng.Next(periods),
            }).ToList();
            var input = new OptimizationInput(net, cps, sessions, Objective.Fleet);
            var r = SmartChargingOptimizer.Optimize(input);

            var (g, s, t) = ReferenceInstance.Build(input);
            var (flowW, costScaled) = MinCostFlow.Run(g, s, t);
            double refEnergy = flowW * net.PeriodHours / 1000;
            double refCost = costScaled / (double)ReferenceInstance.PriceScale * net.PeriodHours / 1000;
            double energy = r.Schedules.Sum(x => x.PlannedEnergyKwh);
            double cost = r.Schedules.Sum(x => x.LimitsKw.Select((kw, p) => kw * net.Price[p] * net.PeriodHours).Sum());
            Assert.True(Math.Abs(refEnergy - energy) < 1e-6, $"seed {seed}: energy {energy} vs {refEnergy}");
            Assert.True(Math.Abs(refEnergy - r.UpperBoundEnergyKwh) < 1e-6, $"seed {seed}: bound");
            Assert.True(Math.Abs(refCost - cost) < 1e-6, $"seed {seed}: cost {cost} vs {refCost}");
            Assert.Null(Invariants.Check(input, r));
        }
    }

    [Fact]
    public void ServingPriorityClassesFirstNeverCostsTotalEnergy()
    {
        // Session-side flow vectors form a polymatroid, so the lexicographic (group, priority) fill still reaches
        // the maximum total flow. Checked against plain Dinic on random instances with mixed classes.
        for (int seed = 0; seed < 300; seed++)
        {
            var rng = new Random(20_000 + seed);
            int periods = 2 + rng.Next(16);
            var net = new NetworkLimits
            {
                Periods = periods,
                GridLimitKw = Enumerable.Range(0, periods).Select(_ => Math.Round(5 + rng.NextDouble() * 40, 1)).ToArray(),
                Price = rng.Next(2) == 0 ? Enumerable.Range(0, periods).Select(_ => Math.Round(rng.NextDouble(), 2)).ToArray() : null,
            };
            var cps = Enumerable.Range(0, 1 + rng.Next(4)).Select(c => new ChargePointLimit($"cp{c}", 7.4 + rng.Next(3) * 7.6)).ToList();
            var sessions = Enumerable.Range(0, 1 + rng.Next(12)).Select(k => new SessionInput
            {
                Id = $"s{k:D2}", ChargePointId = cps[rng.Next(cps.Count)].Id, MaxKw = new[] { 3.7, 7.4, 11, 22 }[rng.Next(4)],
                EnergyNeedKwh = Math.Round(rng.NextDouble() * 30, 1), DeparturePeriod = 1 + rng.Next(periods),
                Priority = rng.Next(6), GroupPriority = rng.Next(3),
            }).ToList();
            var input = new OptimizationInput(net, cps, sessions, Objective.Fleet);
            var r = SmartChargingOptimizer.Optimize(input);
            var (g, s, t) = ReferenceInstance.Build(input);
            double maxEnergy = MaxFlow.Run(g, s, t) * net.PeriodHours / 1000;
            Assert.True(Math.Abs(maxEnergy - r.UpperBoundEnergyKwh) < 1e-6, $"seed {seed}: {r.UpperBoundEnergyKwh} vs {maxEnergy}");
            Assert.True(Math.Abs(maxEnergy - r.Schedules.Sum(x => x.PlannedEnergyKwh)) < 1e-6, $"seed {seed}: planned");
        }
    }
}
