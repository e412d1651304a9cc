namespace Cms.Optimizer.Tests;

/// <summary>Load sharing is max-min fair in served fraction within a priority class; fleet hands out "now" least laxity first.</summary>
public class FairnessTests
{
    [Fact]
    public void LoadSharingGivesTheSameFractionOfWhatEachCarNeeds()
    {
        // 10 kW for 4 periods (10 kWh); a needs 4 kWh, b 12 kWh, both leave at the end: equal kW would give a 4 and
        // b 6 (a full, b half); fair in served fraction gives both the same share of their need.
        var net = Build.Network(10, periods: 4);
        var r = Build.Run(net, Objective.LoadSharing,
            Build.Session("a", needKwh: 4, departure: 4), Build.Session("b", needKwh: 12, departure: 4));
        double fa = r.Schedules.Single(s => s.SessionId == "a").PlannedEnergyKwh / 4;
        double fb = r.Schedules.Single(s => s.SessionId == "b").PlannedEnergyKwh / 12;
        Assert.Equal(fa, fb, 2);
        Assert.Equal(10, r.Schedules.Sum(s => s.PlannedEnergyKwh), 6);
    }

    [Fact]
    public void EnergyAlreadyDeliveredCountsTowardsTheFairShare()
    {
        // Both still need 5 kWh, but a has had 15 already (75 % served) and b nothing. 5 kWh to share: max-min fair
        // ends both at 80 % (a 16 of 20, b 4 of 5).
        var net = Build.Network(10, periods: 2);
        var a = Build.Session("a", needKwh: 5, departure: 2) with { DeliveredKwh = 15 };
        var b = Build.Session("b", needKwh: 5, departure: 2) with { DeliveredKwh = 0 };
        var r = Build.Run(net, Objective.LoadSharing, a, b);
        Assert.True(r.Limits("b")[0] > r.Limits("a")[0]);
        Assert.Equal(4, r.Schedules.Single(s => s.SessionId == "b").PlannedEnergyKwh, 2);
        Assert.Equal(1, r.Schedules.Single(s => s.SessionId == "a").PlannedEnergyKwh, 2);
    }

    [Fact]
    public void PrioritiesStillOrderTheClasses()
    {
        var net = Build.Network(10, periods: 4);
        var r = Build.Run(net, Objective.LoadSharing,
            Build.Session("a", priority: 1, needKwh: 10, departure: 4), Build.Session("b", priority: 5, needKwh: 10, departure: 4));
        Assert.True(r.Schedules.Single(s => s.SessionId == "a").PlannedEnergyKwh > 2 * r.Schedules.Single(s => s.SessionId == "b").PlannedEnergyKwh);
    }

    [Fact]
    public void FleetGivesTheCurrentPeriodToTheLeastLaxityWithoutLosingEnergyOrCost()
    {
        // 10 kW. a: 2.5 kWh, leaves after 2 periods (laxity 1 period); b: 2.5 kWh, stays 8 periods. Either order is
        // energy-optimal; the car that can wait waits. (The 10 kW peak is already reached, so no peak shaving.)
        var net = Build.Network(10, periods: 8) with { PeakSoFarKw = 10 };
        var r = Build.Run(net, Objective.Fleet,
            Build.Session("b", maxKw: 10, needKwh: 2.5, departure: 8), Build.Session("a", maxKw: 10, needKwh: 2.5, departure: 2));
        Assert.Equal(10, r.Limits("a")[0], 6);
        Assert.Equal(0, r.Limits("b")[0], 6);
        Assert.Equal(5, r.Schedules.Sum(s => s.PlannedEnergyKwh), 6);
        Assert.Equal(10, r.Limits("b")[1], 6);
    }
}
