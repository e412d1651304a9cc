namespace Cms.Optimizer.Tests;

public class VehicleToGridTests
{
    [Fact]
    public void ExportPeriodsDischargeAndTheEnergyIsRecharged()
    {
        var net = Build.Network(22, periods: 6, export: [0, 0, 10, 10, 0, 0]);
        var r = Build.Run(net, Objective.VehicleToGrid,
            Build.Session("a", maxKw: 11, needKwh: 5, departure: 6, discharge: 7),
            Build.Session("b", maxKw: 11, needKwh: 5, departure: 6, discharge: 7),
            Build.Session("c", maxKw: 11, needKwh: 5, departure: 6));
        for (int t = 2; t < 4; t++)
        {
            double sum = r.Schedules.Sum(s => s.LimitsKw[t]);
            Assert.True(sum <= -10 + 1e-9, $"export {sum} in period {t}");
            Assert.Equal(0, r.Limits("c")[t]);
        }
        Assert.All(r.Schedules, s => Assert.Equal(5, s.PlannedEnergyKwh, 6));
    }

    [Fact]
    public void OnlyVehicleToGridProducesNegativeLimits()
    {
        var net = Build.Network(22, periods: 4, export: [5, 5, 5, 5]);
        var r = Build.Run(net, Objective.Fleet, Build.Session("a", needKwh: 5, discharge: 7));
        Assert.All(r.Limits("a"), x => Assert.True(x >= 0));
    }
}
