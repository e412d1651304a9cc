namespace Cms.Optimizer.Tests;

public class ValidationTests
{
    private static ArgumentException Bad(NetworkLimits net, params SessionInput[] sessions) =>
        Assert.Throws<ArgumentException>(() => SmartChargingOptimizer.Optimize(
            new OptimizationInput(net, [new ChargePointLimit("cp1", 22)], sessions, Objective.LoadSharing)));

    [Fact]
    public void NamesTheBadField()
    {
        Assert.Equal("Network.Periods", Bad(Build.Network(10) with { Periods = 0 }).ParamName);
        Assert.Equal("Network.GridLimitKw", Bad(Build.Network(10) with { GridLimitKw = [1, 2] }).ParamName);
        Assert.Equal("Network.BufferFraction", Bad(Build.Network(10, buffer: 1.5)).ParamName);
        Assert.Equal("Network.PowerStepKw", Bad(Build.Network(10, step: 0.0005)).ParamName);
        Assert.Equal("Network.GridLimitKw", Bad(Build.Network(double.NaN)).ParamName);
        Assert.Equal("Sessions[0].MaxKw", Bad(Build.Network(10), Build.Session("a", maxKw: -1)).ParamName);
        Assert.Equal("Sessions[0].Priority", Bad(Build.Network(10), Build.Session("a", priority: 6)).ParamName);
        Assert.Equal("Sessions[0].ChargePointId", Bad(Build.Network(10), Build.Session("a", cp: "nope")).ParamName);
        Assert.Equal("Sessions[1].Id", Bad(Build.Network(10), Build.Session("a"), Build.Session("a")).ParamName);
        Assert.Equal("Sessions[0].DeparturePeriod", Bad(Build.Network(10), Build.Session("a", departure: -1)).ParamName);
    }
}
