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
    public void LoadSharingPlansOverTheHorizonSoACarLeavingSoonIsServedFirst()
    {
        // 20 kW; a needs 10 kWh within 2 periods, b 10 kWh within 8. A per-period split starves a; the fair plan over
        // the horizon sees that b can wait, so both finish.
        var r = Build.Run(Build.Network(20, periods: 8), Objective.LoadSharing,
            Build.Session("a", needKwh: 10, departure: 2), Build.Session("b", needKwh: 10, departure: 8));
        Assert.Empty(r.CannotMeetDeparture);
        Assert.Equal(10, r.Schedules.Single(s => s.SessionId == "a").PlannedEnergyKwh, 6);
        Assert.Equal(10, r.Schedules.Single(s => s.SessionId == "b").PlannedEnergyKwh, 6);
    }

    [Fact]
    public void LoadSharingIsMaxMinFairWithinAClassWhenDeparturesDiffer()
    {
        // 10 kW for 4 periods (2.5 kWh each), three cars of the same class each needing 8 kWh, leaving after 1, 2 and
        // 4 periods. Lexicographic max-min: a and b together can only use periods 0 and 1, so the best minimum is
        // 2.5 kWh for all three (a gets period 0, b period 1); c then takes the rest. A per-period split would share
        // period 0 three ways and leave a with 0.83 kWh.
        var r = Build.Run(Build.Network(10, periods: 4), Objective.LoadSharing,
            Build.Session("a", needKwh: 8, departure: 1), Build.Session("b", needKwh: 8, departure: 2),
            Build.Session("c", needKwh: 8, departure: 4));
        double E(string id) => r.Schedules.Single(s => s.SessionId == id).PlannedEnergyKwh;
        Assert.Equal(2.5, E("a"), 2);
        Assert.Equal(2.5, E("b"), 2);
        Assert.Equal(5, E("c"), 2);
    }

    [Fact]
    public void LoadSharingKeepsPrioritiesOrderedOverTheHorizon()
    {
        // Same need and stay; priority 1 weighs 1, priority 3 weighs 0.6, priority 5 weighs 0.2: the served fractions
        // keep that order and all the power is used.
        var r = Build.Run(Build.Network(10, periods: 4), Objective.LoadSharing,
            Build.Session("p1", priority: 1, needKwh: 8, departure: 4), Build.Session("p3", priority: 3, needKwh: 8, departure: 4),
            Build.Session("p5", priority: 5, needKwh: 8, departure: 4));
        double E(string id) => r.Schedules.Single(s => s.SessionId == id).PlannedEnergyKwh;
        Assert.True(E("p1") > E("p3") && E("p3") > E("p5") && E("p5") > 0);
        Assert.Equal(10, E("p1") + E("p3") + E("p5"), 3);
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
