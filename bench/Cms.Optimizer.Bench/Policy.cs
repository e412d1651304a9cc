namespace Cms.Optimizer.Bench;

/// <summary>Something that turns a snapshot into limits: the optimizer (an objective) or a baseline heuristic.</summary>
public interface IPolicy
{
    string Name { get; }
    OptimizationResult Plan(OptimizationInput input);
}

public sealed class OptimizerPolicy(Objective objective) : IPolicy
{
    public string Name => objective.ToString();
    public OptimizationResult Plan(OptimizationInput input) => SmartChargingOptimizer.Optimize(input with { Objective = objective });
}

/// <summary>
/// Least-laxity-first (ties: earliest departure, Id) greedy for the current period only, as in acnportal's
/// SortedSchedulingAlgo: each car in order gets the most it can under session, charge point and network caps;
/// a grant below the minimum load becomes 0; rounded down to the power step. The baseline to beat.
/// </summary>
public sealed class LlfPolicy : IPolicy
{
    public string Name => "LLF baseline";

    public OptimizationResult Plan(OptimizationInput input)
    {
        var n = input.Network;
        double avail = Math.Max(0, n.GridLimitKw[0] * (1 - n.BufferFraction) - (n.BaseloadKw?[0] ?? 0) + (n.SolarKw?[0] ?? 0) - n.ReservedKw);
        var cpRoom = input.ChargePoints.ToDictionary(c => c.Id, c => c.MaxKw);
        double Laxity(SessionInput s) => (s.DeparturePeriod ?? n.Periods) * n.PeriodHours - (s.EnergyNeedKwh ?? 1e9) / Math.Max(1e-9, s.MaxKw);
        var order = input.Sessions.OrderBy(Laxity).ThenBy(s => s.DeparturePeriod ?? n.Periods).ThenBy(s => s.Id, StringComparer.Ordinal);
        var schedules = new List<SessionSchedule>();
        foreach (var s in order)
        {
            double want = Math.Min(s.MaxKw, (s.EnergyNeedKwh ?? 1e9) / n.PeriodHours);
            double x = Math.Min(want, Math.Min(cpRoom[s.ChargePointId], avail) - 1e-9);
            if (n.PowerStepKw > 0) x = Math.Floor(x / n.PowerStepKw) * n.PowerStepKw;
            if (x < Math.Max(n.MinimumLoadKw, 1e-3) || (s.DeparturePeriod ?? 1) == 0) x = 0;
            avail -= x;
            cpRoom[s.ChargePointId] -= x;
            var limits = new double[n.Periods];
            limits[0] = x;
            schedules.Add(new SessionSchedule(s.Id, limits, x * n.PeriodHours, 0, "network"));
        }
        return new OptimizationResult(schedules, [], 0, []);
    }
}
