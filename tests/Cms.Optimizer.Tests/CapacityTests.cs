namespace Cms.Optimizer.Tests;

public class CapacityTests
{
    [Fact]
    public void AvailableCapacityAppliesBufferBaseloadSolarAndReserve()
    {
        var net = Build.Network(30, periods: 2, buffer: 0.02) with
        {
            BaseloadKw = [5, 40], SolarKw = [3, 0], ReservedKw = 2,
        };
        var r = Build.Run(net, Objective.LoadSharing, Build.Session("a"));
        Assert.Equal(25.4, r.AvailableKw[0], 9); // 30·0.98 − 5 + 3 − 2
        Assert.Equal(0, r.AvailableKw[1]);        // floored at 0
        Assert.Equal(25.4, r.Limits("a")[0], 6);
        Assert.Equal(0, r.Limits("a")[1]);
    }

    [Fact]
    public void ASessionThatCannotReachTheMinimumLoadGetsNothing()
    {
        var r = Build.Run(Build.Network(30, minLoad: 4.2), Objective.LoadSharing, Build.Session("a", maxKw: 3.7), Build.Session("b"));
        Assert.All(r.Limits("a"), x => Assert.Equal(0, x));
        Assert.Equal("minimum_load", r.Schedules.Single(s => s.SessionId == "a").BindingConstraint);
        Assert.Equal(30, r.Limits("b")[0], 6);
    }

    [Fact]
    public void TwoOptOutSessionsShareWhenTheyCannotBothGetTheirMaximum()
    {
        var r = Build.Run(Build.Network(30), Objective.LoadSharing,
            Build.Session("a", maxKw: 22, priority: 0), Build.Session("b", maxKw: 22, priority: 0), Build.Session("c", priority: 1));
        Assert.Equal(15, r.Limits("a")[0], 6);
        Assert.Equal(15, r.Limits("b")[0], 6);
        Assert.Equal(0, r.Limits("c")[0], 6);
    }

    [Fact]
    public void FleetServesTheHigherPriorityNeedFirstWhenScarce()
    {
        var r = Build.Run(Build.Network(10, periods: 4), Objective.Fleet,
            Build.Session("a", needKwh: 8, departure: 4, priority: 5), Build.Session("b", needKwh: 8, departure: 4, priority: 1));
        Assert.Equal(8, r.Schedules.Single(s => s.SessionId == "b").PlannedEnergyKwh, 6);
        Assert.Equal(2, r.Schedules.Single(s => s.SessionId == "a").PlannedEnergyKwh, 6);
    }

    [Fact]
    public void FleetWithUnlimitedNeedUsesAllCapacity()
    {
        var r = Build.Run(Build.Network(20, periods: 3), Objective.Fleet, Build.Session("a", maxKw: 11), Build.Session("b", maxKw: 11));
        for (int t = 0; t < 3; t++) Assert.Equal(20, r.Limits("a")[t] + r.Limits("b")[t], 6);
        Assert.Equal(15, r.UpperBoundEnergyKwh, 6);
    }

    [Fact]
    public void VehicleToGridDischargesEverythingAvailableWhenTheExportIsTooLarge()
    {
        var net = Build.Network(22, periods: 2, export: [50, 0]);
        var r = Build.Run(net, Objective.VehicleToGrid,
            Build.Session("a", needKwh: 10, discharge: 7), Build.Session("b", needKwh: 10, discharge: 5));
        Assert.Equal(-7, r.Limits("a")[0], 6);
        Assert.Equal(-5, r.Limits("b")[0], 6);
    }
}
