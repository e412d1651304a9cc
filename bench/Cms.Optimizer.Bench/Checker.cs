namespace Cms.Optimizer.Bench;

/// <summary>Counts hard-rule violations (network, charge point, session, minimum load, step, departure) in a plan.</summary>
public static class Checker
{
    private const double Tol = 1e-6;

    public static int Count(OptimizationInput input, OptimizationResult plan, bool onlyFirstPeriod = false)
    {
        var n = input.Network;
        var byId = input.Sessions.ToDictionary(s => s.Id);
        var cpMax = input.ChargePoints.ToDictionary(c => c.Id, c => c.MaxKw);
        int bad = 0;
        int periods = onlyFirstPeriod ? 1 : n.Periods;
        for (int t = 0; t < periods; t++)
        {
            double avail = Math.Max(0, n.GridLimitKw[t] * (1 - n.BufferFraction) - (n.BaseloadKw?[t] ?? 0) + (n.SolarKw?[t] ?? 0) - n.ReservedKw);
            double sum = 0;
            var perCp = new Dictionary<string, double>();
            foreach (var sch in plan.Schedules)
            {
                var s = byId[sch.SessionId];
                double x = sch.LimitsKw[t];
                sum += x;
                perCp[s.ChargePointId] = perCp.GetValueOrDefault(s.ChargePointId) + x;
                if (x > s.MaxKw + Tol) bad++;
                if (x != 0 && Math.Abs(x) < n.MinimumLoadKw - Tol) bad++;
                if (n.PowerStepKw > 0 && Math.Abs(x / n.PowerStepKw - Math.Round(x / n.PowerStepKw)) > 1e-6) bad++;
                if (x > 0 && s.DeparturePeriod is { } d && t >= d) bad++;
            }
            if (sum > avail + Tol) bad++;
            foreach (var v in perCp.Values.Zip(perCp.Keys))
                if (v.First > cpMax[v.Second] + Tol) bad++;
        }
        return bad;
    }
}
