namespace Cms.Optimizer.Tests;

public class LoadSharingTests
{
    [Fact]
    public void OneSessionGetsTheNetworkMinusTheBuffer()
    {
        var r = Build.Run(Build.Network(30, buffer: 0.02), Objective.LoadSharing, Build.Session("a"));
        Assert.All(r.Limits("a"), x => Assert.Equal(29.4, x, 6));
        Assert.Equal("network", r.Schedules[0].BindingConstraint);
    }

    [Fact]
    public void TwoEqualSessionsShareEqually()
    {
        var r = Build.Run(Build.Network(30, buffer: 0.02), Objective.LoadSharing, Build.Session("a"), Build.Session("b"));
        Assert.Equal(14.7, r.Limits("a")[0], 6);
        Assert.Equal(14.7, r.Limits("b")[0], 6);
    }

    [Fact]
    public void LowerPriorityNumberGetsMorePower()
    {
        var r = Build.Run(Build.Network(30), Objective.LoadSharing,
            Build.Session("a", priority: 1), Build.Session("b", priority: 5));
        // Weights 6 - priority: 5 : 1.
        Assert.Equal(25, r.Limits("a")[0], 3);
        Assert.Equal(5, r.Limits("b")[0], 3);
    }

    [Fact]
    public void OptOutPriorityZeroIsServedItsMaximumFirst()
    {
        var r = Build.Run(Build.Network(30), Objective.LoadSharing,
            Build.Session("a", maxKw: 22, priority: 0), Build.Session("b", maxKw: 22, priority: 1));
        Assert.Equal(22, r.Limits("a")[0], 6);
        Assert.Equal(8, r.Limits("b")[0], 6);
    }

    [Fact]
    public void VehicleCapIsRespectedAndTheRestGoesToTheOther()
    {
        var r = Build.Run(Build.Network(30, buffer: 0.02), Objective.LoadSharing,
            Build.Session("a", maxKw: 11), Build.Session("b", maxKw: 50));
        Assert.Equal(11, r.Limits("a")[0], 6);
        Assert.Equal(18.4, r.Limits("b")[0], 6);
        Assert.Equal("session", r.Schedules[0].BindingConstraint);
    }

    [Fact]
    public void ChargePointCapIsSharedByItsConnectors()
    {
        var net = Build.Network(100);
        var sessions = new[] { Build.Session("a", maxKw: 11, cp: "cp1"), Build.Session("b", maxKw: 11, cp: "cp1"), Build.Session("c", maxKw: 11, cp: "cp2") };
        var r = SmartChargingOptimizer.Optimize(new OptimizationInput(net,
            [new ChargePointLimit("cp1", 15), new ChargePointLimit("cp2", 22)], sessions, Objective.LoadSharing));
        Assert.Equal(7.5, r.Limits("a")[0], 6);
        Assert.Equal(7.5, r.Limits("b")[0], 6);
        Assert.Equal(11, r.Limits("c")[0], 6);
        Assert.Equal("charge_point", r.Schedules[0].BindingConstraint);
    }

    [Fact]
    public void SessionsBelowMinimumLoadGetZeroAndTakeTurns()
    {
        var net = Build.Network(10, periods: 6, minLoad: 4.2);
        var r = Build.Run(net, Objective.LoadSharing, Build.Session("a"), Build.Session("b"), Build.Session("c"));
        for (int t = 0; t < 6; t++)
        {
            var xs = new[] { r.Limits("a")[t], r.Limits("b")[t], r.Limits("c")[t] };
            Assert.Equal(2, xs.Count(x => x > 0));
            Assert.All(xs.Where(x => x > 0), x => Assert.Equal(5, x, 6));
        }
        // Each session is left out in exactly two of six periods.
        foreach (var id in new[] { "a", "b", "c" }) Assert.Equal(4, r.Limits(id).Count(x => x > 0));
    }

    [Fact]
    public void PreviouslyServedSessionsAreTheFirstToWait()
    {
        var net = Build.Network(10, periods: 1, minLoad: 4.2);
        var r = Build.Run(net, Objective.LoadSharing,
            Build.Session("a", previous: [5]), Build.Session("b", previous: [5]), Build.Session("c", previous: [0]));
        Assert.True(r.Limits("c")[0] > 0);
        Assert.Equal("minimum_load", r.Schedules.Single(s => s.SessionId == "b").BindingConstraint);
    }

    [Fact]
    public void MeasuredDrawBelowTheLimitFreesPowerForOthers()
    {
        var r = Build.Run(Build.Network(30), Objective.LoadSharing,
            Build.Session("a", maxKw: 22, measured: 3), Build.Session("b", maxKw: 50));
        Assert.Equal(4, r.Limits("a")[0], 6); // 3 kW + max(1 kW, 10 %)
        Assert.Equal(26, r.Limits("b")[0], 6);
    }

    [Fact]
    public void ACarThatDrewWhatItWasOfferedIsNotCappedByItsDraw()
    {
        // a drew the 3 kW it was offered (held back, not slow); b drew 3 kW under a 10 kW offer (slow).
        var r = Build.Run(Build.Network(30), Objective.LoadSharing,
            Build.Session("a", maxKw: 22, measured: 3) with { OfferedKw = 3 }, Build.Session("b", maxKw: 22, measured: 3) with { OfferedKw = 10 });
        Assert.Equal(4, r.Limits("b")[0], 6); // 3 kW + max(1 kW, 10 %)
        Assert.Equal(22, r.Limits("a")[0], 6);
        // Offered nothing, it drew nothing: that says nothing about the car either.
        var idle = Build.Run(Build.Network(30), Objective.LoadSharing, Build.Session("c", maxKw: 22, measured: 0) with { OfferedKw = 0 });
        Assert.Equal(22, idle.Limits("c")[0], 6);
    }

    [Fact]
    public void EnergyNeedStopsChargingAndPowerFlowsToOthers()
    {
        var r = Build.Run(Build.Network(20, periods: 4), Objective.LoadSharing,
            Build.Session("a", needKwh: 2.5), Build.Session("b"));
        Assert.Equal(new[] { 10.0, 0, 0, 0 }, r.Limits("a"));
        Assert.Equal(new[] { 10.0, 20, 20, 20 }, r.Limits("b"));
        Assert.Equal("energy_need", r.Schedules[0].BindingConstraint);
    }

    [Fact]
    public void PowerStepRoundsDownAndRefills()
    {
        var r = Build.Run(Build.Network(10, step: 1), Objective.LoadSharing,
            Build.Session("a"), Build.Session("b"), Build.Session("c"));
        var xs = new[] { r.Limits("a")[0], r.Limits("b")[0], r.Limits("c")[0] };
        Assert.Equal(10, xs.Sum(), 6);
        Assert.All(xs, x => Assert.Equal(Math.Round(x), x, 9));
    }

    [Fact]
    public void NoChargingAtOrAfterDeparture()
    {
        var r = Build.Run(Build.Network(20, periods: 4), Objective.LoadSharing,
            Build.Session("a", departure: 2), Build.Session("b"));
        Assert.Equal(new[] { 10.0, 10, 0, 0 }, r.Limits("a"));
        Assert.Equal(new[] { 10.0, 10, 20, 20 }, r.Limits("b"));
    }
}
