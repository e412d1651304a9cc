namespace Cms.Optimizer.Tests;

using static Build;

/// <summary>
/// Load sharing with unknown needs (product decision of issue #15): with the site's history the defaults are planned
/// in the max-min fair horizon plan like told needs; only without usable history does the per-period split stay.
/// </summary>
public class HistoryDefaultsTests
{
    // a's need (2.5 kWh) and departure (after one period) are history defaults; b's need stays unknown.
    private static readonly SessionInput A = Session("a", needKwh: 2.5, departure: 1);
    private static readonly SessionInput B = Session("b");

    [Fact]
    public void WithHistoryADefaultNeedIsPlannedOverTheHorizon()
    {
        var net = Network(10) with { NeedsFromHistory = true };
        var r = Run(net, Objective.LoadSharing, A, B);
        // The horizon plan sees a leaves after period 0 and b can wait: a gets its default need at once.
        Assert.Equal(new[] { 10.0, 0, 0, 0 }, r.Limits("a"));
        Assert.Equal(new[] { 0.0, 10, 10, 10 }, r.Limits("b"));
        Assert.Empty(r.CannotMeetDeparture);
    }

    [Fact]
    public void WithoutHistoryAnUnknownNeedKeepsThePerPeriodSplit()
    {
        var r = Run(Network(10), Objective.LoadSharing, A, B);
        Assert.True(r.Limits("b")[0] > 0, "b shares period 0 in the per-period split");
        Assert.Equal(["a"], r.CannotMeetDeparture);
    }

    [Fact]
    public void WithHistoryACarBeyondItGetsWhatIsLeftAfterTheFairLevel()
    {
        // c and d have defaults (4 kWh each over 4 periods at 3 kW); b, beyond the history, has no floor and takes the rest.
        var net = Network(3) with { NeedsFromHistory = true };
        var c = Session("c", needKwh: 1.5);
        var d = Session("d", needKwh: 1.5);
        var r = Run(net, Objective.LoadSharing, B, c, d);
        double E(string id) => r.Schedules.Single(s => s.SessionId == id).PlannedEnergyKwh;
        Assert.Equal(1.5, E("c"), 6);
        Assert.Equal(1.5, E("d"), 6);
        Assert.Equal(0, E("b"), 6);
    }
}
