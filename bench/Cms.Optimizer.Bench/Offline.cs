using Cms.Optimizer.Bench.Reference;

namespace Cms.Optimizer.Bench;

/// <summary>
/// The clairvoyant reference on the same instance: every arrival known, charging only, no minimum load or step
/// (so it is an upper bound). E* by Dinic max-flow; C* (cheapest way to deliver E*) by min-cost flow.
/// Built with the generic graph in Reference/, not with the optimizer.
/// </summary>
public static class Offline
{
    /// <summary>
    /// P*: the lowest grid import peak (charging + baseload − solar) at which the clairvoyant plan still delivers E*.
    /// Bisection on a flat import cap (grid limit lowered to P / (1 − buffer)), each step a Dinic max-flow; ±0.1 kW.
    /// </summary>
    public static double PeakStar(Scenario sc, double eStar)
    {
        double lo = 0, hi = sc.GridLimitKw.Max();
        for (int t = 0; t < sc.Periods; t++) hi = Math.Max(hi, sc.AvailableKw(t) + (sc.BaseloadKw?[t] ?? 0) - (sc.SolarKw?[t] ?? 0));
        while (hi - lo > 0.1)
        {
            double mid = (lo + hi) / 2;
            var capped = sc with { GridLimitKw = sc.GridLimitKw.Select(g => Math.Min(g, mid / (1 - sc.BufferFraction))).ToArray() };
            if (Optimum(capped, false).EnergyKwh >= eStar - 1e-6) hi = mid; else lo = mid;
        }
        return hi;
    }

    public static (double EnergyKwh, double? Cost) Optimum(Scenario sc, bool withCost)
    {
        var grid = (double[])sc.GridLimitKw.Clone();
        if (sc.V2gExportKw is { } export)
            for (int t = 0; t < grid.Length; t++)
                if (export[t] > 0) grid[t] = 0; // nobody charges during an export event
        var net = new NetworkLimits
        {
            Periods = sc.Periods, PeriodHours = sc.PeriodHours, GridLimitKw = grid, BufferFraction = sc.BufferFraction,
            BaseloadKw = sc.BaseloadKw, SolarKw = sc.SolarKw, Price = sc.Price,
        };
        var sessions = sc.Sessions.Select(s => new SessionInput
        {
            Id = s.Id, ChargePointId = s.ChargePointId, MaxKw = s.MaxKw, EnergyNeedKwh = s.NeedKwh, DeparturePeriod = s.Departure,
        }).ToList();
        var input = new OptimizationInput(net, sc.ChargePoints, sessions, Objective.Fleet);
        var arrival = sc.Sessions.Select(s => s.Arrival).ToArray();
        var (g, src, sink) = ReferenceInstance.Build(input, arrival);
        if (!withCost)
            return (MaxFlow.Run(g, src, sink) * sc.PeriodHours / 1000, null);
        var (flow, cost) = MinCostFlow.Run(g, src, sink);
        return (flow * sc.PeriodHours / 1000, cost / (double)ReferenceInstance.PriceScale * sc.PeriodHours / 1000);
    }
}
