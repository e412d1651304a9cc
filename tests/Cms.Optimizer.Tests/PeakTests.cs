namespace Cms.Optimizer.Tests;

/// <summary>Fleet without prices and with MinimizePeak: among the energy-optimal plans, the lowest grid import peak.</summary>
public class PeakTests
{
    [Fact]
    public void WithoutPricesTheSameEnergyIsDeliveredAtTheLowestPeak()
    {
        // 8 kWh over 4 periods fits at 8 kW flat; earliest-first would draw 22 kW.
        var r = Build.Run(Build.Network(22, periods: 4) with { MinimizePeak = true }, Objective.Fleet, Build.Session("a", maxKw: 22, needKwh: 8));
        Assert.Equal(8, r.Schedules[0].PlannedEnergyKwh, 6);
        Assert.True(r.Limits("a").Max() <= 8 * 1.005 + 1e-9, string.Join(", ", r.Limits("a")));
    }

    [Fact]
    public void BaseloadCountsTowardsThePeak()
    {
        // Import = charging + baseload. Baseload 10 kW in the first two periods, 0 after: a flat import of 10 kW
        // leaves charging only the last two periods (2 × 10 kW × 0.25 h = 5 kWh).
        var net = Build.Network(30, periods: 4) with { BaseloadKw = [10, 10, 0, 0], MinimizePeak = true };
        var r = Build.Run(net, Objective.Fleet, Build.Session("a", maxKw: 22, needKwh: 5));
        var x = r.Limits("a");
        Assert.Equal(5, r.Schedules[0].PlannedEnergyKwh, 6);
        double peak = Enumerable.Range(0, 4).Max(t => x[t] + net.BaseloadKw![t]);
        Assert.True(peak <= 10 * 1.005 + 1e-9, string.Join(", ", x));
    }

    [Fact]
    public void PeakNeverCostsEnergy()
    {
        // Two cars with deadlines that force a 20 kW period: the plan still delivers everything.
        var r = Build.Run(Build.Network(20, periods: 4) with { MinimizePeak = true }, Objective.Fleet,
            Build.Session("a", maxKw: 20, needKwh: 5, departure: 1), Build.Session("b", maxKw: 20, needKwh: 2.5));
        Assert.Equal(7.5, r.Schedules.Sum(s => s.PlannedEnergyKwh), 6);
        Assert.Equal(20, r.Limits("a")[0], 6);
    }

    [Fact]
    public void APastDaysLowestPeakCountsBaseloadAndTheHintIsTheMedian()
    {
        // One car, 5 kWh over 4 periods (1 h), baseload 10 kW in the first half hour: a flat import of 10 kW leaves
        // charging only the second half hour (10 kW × 0.5 h = 5 kWh), so the day's lowest peak is 10 kW.
        var day = new Simulation.ReplayInput(4, 0.25, [30, 30, 30, 30], 0, null, 0, 0, [new ChargePointLimit("cp1", 22)],
            [new Simulation.ReplaySession("a", "cp1", 22, 0, 4, 5)], Objective.Fleet);
        double peak = Simulation.PeakHint.LowestPeakKw(day, [10, 10, 0, 0]);
        Assert.InRange(peak, 10 - 0.1, 10 * 1.005 + 0.1);
        Assert.Equal(0, Simulation.PeakHint.LowestPeakKw(day with { Sessions = [] }));
        Assert.Equal(20, Simulation.PeakHint.FromPastDays([10, 30, 20, 0]));
        Assert.Equal(0, Simulation.PeakHint.FromPastDays([]));
    }
}
