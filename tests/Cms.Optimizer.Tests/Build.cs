namespace Cms.Optimizer.Tests;

/// <summary>Terse builders for test networks.</summary>
internal static class Build
{
    public static NetworkLimits Network(double gridKw, int periods = 4, double buffer = 0, double minLoad = 0,
                                        double step = 0, double[]? price = null, double[]? export = null) => new()
    {
        Periods = periods,
        GridLimitKw = Enumerable.Repeat(gridKw, periods).ToArray(),
        BufferFraction = buffer,
        MinimumLoadKw = minLoad,
        PowerStepKw = step,
        Price = price,
        V2gExportKw = export,
    };

    public static SessionInput Session(string id, double maxKw = 50, string cp = "cp1", int priority = 3,
                                       double? needKwh = null, int? departure = null, double? measured = null,
                                       double discharge = 0, int group = 0, double[]? previous = null) => new()
    {
        Id = id, ChargePointId = cp, MaxKw = maxKw, Priority = priority, EnergyNeedKwh = needKwh,
        DeparturePeriod = departure, MeasuredKw = measured, MaxDischargeKw = discharge, GroupPriority = group,
        PreviousLimitsKw = previous,
    };

    public static OptimizationResult Run(NetworkLimits net, Objective objective, params SessionInput[] sessions)
    {
        var cps = sessions.Select(s => s.ChargePointId).Distinct().Select(id => new ChargePointLimit(id, 1000)).ToList();
        return SmartChargingOptimizer.Optimize(new OptimizationInput(net, cps, sessions, objective));
    }

    public static double[] Limits(this OptimizationResult r, string id) =>
        r.Schedules.Single(s => s.SessionId == id).LimitsKw;
}
