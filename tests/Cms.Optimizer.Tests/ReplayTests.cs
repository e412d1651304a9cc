using Cms.Optimizer.Simulation;

namespace Cms.Optimizer.Tests;

/// <summary>The what-if replay: closed loop through the optimizer, never above its clairvoyant optimum or the site.</summary>
public class ReplayTests
{
    private static ReplayInput Site(double capacityKw, Objective objective) => new(
        Periods: 8, PeriodHours: 0.25, GridLimitKw: Enumerable.Repeat(capacityKw, 8).ToArray(), BufferFraction: 0, Price: null,
        MinimumLoadKw: 0, PowerStepKw: 0, ChargePoints: [new ChargePointLimit("a", 10), new ChargePointLimit("b", 10)],
        Sessions:
        [
            new ReplaySession("early", "a", 10, Arrival: 0, Departure: 2, EnergyKwh: 5),
            new ReplaySession("late", "b", 10, Arrival: 1, Departure: 8, EnergyKwh: 10),
        ],
        Objective: objective);

    [Fact]
    public void ClairvoyantOptimumCountsEveryArrival()
    {
        // 10 kW for 8 periods = 20 kWh of room; both cars fit (5 + 10).
        Assert.Equal(15, Replay.ClairvoyantEnergy(Site(10, Objective.Fleet)), 6);
        // 4 kW: 8 periods × 1 kWh of room; early fills periods 0–1 (2 kWh), late periods 2–7 (6 kWh): 8 of the 15 wanted.
        Assert.Equal(8, Replay.ClairvoyantEnergy(Site(4, Objective.Fleet)), 6);
    }

    [Fact]
    public void ReplayDeliversUpToTheOptimumAndNeverAboveTheSite()
    {
        foreach (var objective in new[] { Objective.Fleet, Objective.LoadSharing })
        {
            var r = Replay.Run(Site(4, objective));
            Assert.Equal(0, r.Violations);
            Assert.True(r.DeliveredKwh <= r.OptimumKwh + 1e-9);
            Assert.True(r.DeliveredKwh >= r.OptimumKwh - 1e-6, $"{objective}: {r.DeliveredKwh} of {r.OptimumKwh}");
            Assert.All(r.LoadKw, kw => Assert.True(kw <= 4 + 1e-9));
            Assert.Equal(r.LoadKw.Max(), r.PeakKw, 9);
        }
    }
}
