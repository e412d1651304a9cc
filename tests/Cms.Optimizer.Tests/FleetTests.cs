namespace Cms.Optimizer.Tests;

public class FleetTests
{
    [Fact]
    public void FleetMeetsDeadlinesThatAnEqualSplitMisses()
    {
        // 20 kW site; a needs 10 kWh within 2 periods (30 min), b needs 10 kWh within 8 periods. An equal split per
        // period (load sharing when b's need is unknown) starves a.
        var net = Build.Network(20, periods: 8);
        var a = Build.Session("a", needKwh: 10, departure: 2);
        var b = Build.Session("b", needKwh: 10, departure: 8);

        var naive = Build.Run(net, Objective.LoadSharing, a, b with { EnergyNeedKwh = null });
        Assert.Contains("a", naive.CannotMeetDeparture);

        var fleet = Build.Run(net, Objective.Fleet, a, b);
        Assert.Empty(fleet.CannotMeetDeparture);
        Assert.Equal(10, fleet.Schedules.Single(s => s.SessionId == "a").PlannedEnergyKwh, 6);
        Assert.Equal(10, fleet.Schedules.Single(s => s.SessionId == "b").PlannedEnergyKwh, 6);
    }

    [Fact]
    public void PricesShiftChargingToCheapPeriods()
    {
        var price = new[] { 0.40, 0.40, 0.12, 0.12, 0.25, 0.25 };
        var r = Build.Run(Build.Network(22, periods: 6, price: price), Objective.Fleet,
            Build.Session("a", maxKw: 22, needKwh: 11, departure: 6));
        Assert.Equal(new[] { 0.0, 0, 22, 22, 0, 0 }, r.Limits("a"));
    }

    [Fact]
    public void WithoutPricesUpToThePeakAlreadyReachedChargesAsEarlyAsPossible()
    {
        var net = Build.Network(22, periods: 4) with { PeakSoFarKw = 22 };
        var r = Build.Run(net, Objective.Fleet, Build.Session("a", maxKw: 22, needKwh: 5.5));
        Assert.Equal(new[] { 22.0, 0, 0, 0 }, r.Limits("a"));
    }

    [Fact]
    public void InfeasibleDeparturesAreReported()
    {
        // 10 kWh for 21 asked in one class: max-min fair gives both the same share (10/21), so both are short.
        // In a class of its own (priority 1), b is served in full and only a is short.
        var r = Build.Run(Build.Network(10, periods: 4), Objective.Fleet,
            Build.Session("a", needKwh: 20, departure: 4), Build.Session("b", needKwh: 1, departure: 4));
        Assert.Equal(new[] { "a", "b" }, r.CannotMeetDeparture);
        Assert.Equal(10, r.UpperBoundEnergyKwh, 6);
        r = Build.Run(Build.Network(10, periods: 4), Objective.Fleet,
            Build.Session("a", needKwh: 20, departure: 4), Build.Session("b", priority: 1, needKwh: 1, departure: 4));
        Assert.Equal(new[] { "a" }, r.CannotMeetDeparture);
    }

    [Fact]
    public void LowerGroupPriorityIsServedFirst()
    {
        var r = Build.Run(Build.Network(10, periods: 4), Objective.Fleet,
            Build.Session("a", needKwh: 10, departure: 4, group: 1), Build.Session("b", needKwh: 10, departure: 4, group: 0));
        Assert.Equal(10, r.Schedules.Single(s => s.SessionId == "b").PlannedEnergyKwh, 6);
        Assert.Equal(0, r.Schedules.Single(s => s.SessionId == "a").PlannedEnergyKwh, 6);
    }

    [Fact]
    public void ReroutingFindsTheOptimumThatGreedyFillingMisses()
    {
        // In period 0 both could charge; a must (it leaves after period 0) while b can wait. Price makes
        // period 0 cheapest, so b is tried first by Id order; the flow must move b out of period 0.
        var net = Build.Network(10, periods: 2, price: [0.1, 0.2]);
        var r = Build.Run(net, Objective.Fleet,
            Build.Session("b", maxKw: 10, needKwh: 2.5, departure: 2),
            Build.Session("c", maxKw: 10, needKwh: 2.5, departure: 1));
        Assert.Equal(new[] { 10.0, 0 }, r.Limits("c"));
        Assert.Equal(new[] { 0.0, 10 }, r.Limits("b"));
    }

    [Fact]
    public void MinimumLoadRemainderIsSplitInsteadOfDropped()
    {
        // 10 kWh at 7.4 kW max with 4.2 kW minimum: 7.4 + 7.4 + 7.4 + 7.4 + 10.4 is impossible, so the last
        // 3 kW must be made up by shifting part of a full period.
        var net = Build.Network(22, periods: 8, minLoad: 4.2);
        var r = Build.Run(net, Objective.Fleet, Build.Session("a", maxKw: 7.4, needKwh: 10, departure: 8));
        Assert.Equal(10, r.Schedules[0].PlannedEnergyKwh, 6);
        Assert.Empty(r.CannotMeetDeparture);
    }

    [Fact]
    public void OffReturnsNoSchedules()
    {
        var r = Build.Run(Build.Network(20), Objective.Off, Build.Session("a"));
        Assert.Empty(r.Schedules);
    }

    [Fact]
    public void SameInputInAnyOrderGivesTheSameOutput()
    {
        var rng = new Random(7);
        var sessions = Enumerable.Range(0, 30).Select(k => Build.Session($"s{k:D2}", maxKw: 7.4 + k % 3,
            cp: $"cp{k / 2}", priority: 1 + k % 5, needKwh: 5 + k % 7, departure: 10 + k % 20)).ToList();
        var cps = sessions.Select(s => s.ChargePointId).Distinct().Select(id => new ChargePointLimit(id, 15)).ToList();
        var net = Build.Network(60, periods: 32, minLoad: 1.4, step: 0.1);
        foreach (var obj in new[] { Objective.LoadSharing, Objective.Fleet })
        {
            var first = SmartChargingOptimizer.Optimize(new OptimizationInput(net, cps, sessions, obj));
            var shuffled = sessions.OrderBy(_ => rng.Next()).ToList();
            var second = SmartChargingOptimizer.Optimize(new OptimizationInput(net, cps.AsEnumerable().Reverse().ToList(), shuffled, obj));
            Assert.Equal(first.Schedules.Select(s => s.SessionId), second.Schedules.Select(s => s.SessionId));
            for (int k = 0; k < first.Schedules.Count; k++)
                Assert.Equal(first.Schedules[k].LimitsKw, second.Schedules[k].LimitsKw);
        }
    }
}
