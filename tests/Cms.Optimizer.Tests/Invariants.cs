namespace Cms.Optimizer.Tests;

/// <summary>The hard rules of DESIGN.md "Smart charging", checked on any result. Returns the first violation or null.</summary>
internal static class Invariants
{
    private const double Tol = 1e-6;

    public static string? Check(OptimizationInput input, OptimizationResult result)
    {
        var n = input.Network;
        if (input.Objective == Objective.Off)
            return result.Schedules.Count == 0 ? null : "off objective returned schedules";
        if (result.Schedules.Count != input.Sessions.Count) return "one schedule per session expected";
        var byId = input.Sessions.ToDictionary(s => s.Id);
        var cpMax = input.ChargePoints.ToDictionary(c => c.Id, c => c.MaxKw);
        for (int t = 0; t < n.Periods; t++)
        {
            double avail = Math.Max(0, n.GridLimitKw[t] * (1 - n.BufferFraction) - (n.BaseloadKw?[t] ?? 0)
                                        + (n.SolarKw?[t] ?? 0) - n.ReservedKw);
            double sum = 0;
            var perCp = new Dictionary<string, double>();
            foreach (var sch in result.Schedules)
            {
                var s = byId[sch.SessionId];
                double x = sch.LimitsKw[t];
                sum += x;
                perCp[s.ChargePointId] = perCp.GetValueOrDefault(s.ChargePointId) + x;
                if (x > s.MaxKw + Tol) return $"t{t} {s.Id}: {x} > session max {s.MaxKw}";
                if (x > 0 && x < n.MinimumLoadKw - Tol) return $"t{t} {s.Id}: {x} below minimum load";
                if (x < 0 && input.Objective != Objective.VehicleToGrid) return $"t{t} {s.Id}: negative outside V2G";
                if (x < 0 && -x > s.MaxDischargeKw + Tol) return $"t{t} {s.Id}: discharge {x} beyond its max";
                if (x < 0 && -x < n.MinimumLoadKw - Tol) return $"t{t} {s.Id}: discharge {x} below minimum load";
                if (n.PowerStepKw > 0 && Math.Abs(x / n.PowerStepKw - Math.Round(x / n.PowerStepKw)) > 1e-6)
                    return $"t{t} {s.Id}: {x} off the {n.PowerStepKw} kW grid";
                if (x > 0 && s.DeparturePeriod is { } d && t >= d) return $"t{t} {s.Id}: charging after departure";
            }
            if (sum > avail + Tol) return $"t{t}: sum {sum} > available {avail}";
            foreach (var (cp, v) in perCp)
                if (v > cpMax[cp] + Tol) return $"t{t} {cp}: {v} > cp max {cpMax[cp]}";
        }
        foreach (var sch in result.Schedules)
        {
            var s = byId[sch.SessionId];
            double energy = sch.LimitsKw.Sum() * n.PeriodHours;
            if (Math.Abs(energy - sch.PlannedEnergyKwh) > 1e-6) return $"{s.Id}: planned energy mismatch";
            if (s.EnergyNeedKwh is { } need && energy > need + Tol) return $"{s.Id}: {energy} kWh > need {need}";
        }
        return null;
    }
}
