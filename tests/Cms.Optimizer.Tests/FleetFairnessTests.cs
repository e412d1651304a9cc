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
}
