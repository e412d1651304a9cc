namespace Cms.Optimizer.Internal;

/// <summary>Turns watt limits back into kW schedules and explains, per session, what kept it from more power.</summary>
internal static class ResultBuilder
{
    /// <summary>Shortfalls below this are rounding noise, not a missed departure (ACN counts a demand met at &lt; 0.1 kWh).</summary>
    private const double MissedKwh = 0.1;

    public static OptimizationResult Build(Problem p, Ledger led, long[]? discharge, bool[]? dropped, double upperBoundKwh)
    {
        var schedules = new SessionSchedule[p.N];
        var missed = new List<string>();
        double kwhPerWp = p.Hours / 1000;
        for (int i = 0; i < p.N; i++)
        {
            var s = p.Sessions[i];
            var limits = new double[p.T];
            long netWp = 0;
            for (int t = 0; t < p.T; t++)
            {
                long w = led.Get(i, t) - (discharge?[i * p.T + t] ?? 0);
                limits[t] = w / 1000.0;
                netWp += w;
            }
            double planned = netWp * kwhPerWp;
            double unmet = s.EnergyNeedKwh is { } need ? Math.Max(0, need - planned) : 0;
            if (s.EnergyNeedKwh is not null && s.DeparturePeriod <= p.T && unmet > MissedKwh) missed.Add(s.Id);
            schedules[i] = new SessionSchedule(s.Id, limits, planned, unmet, Binding(p, led, i, dropped));
        }
        return new OptimizationResult(schedules, p.AvailableKw, upperBoundKwh, missed);
    }

    private static string Binding(Problem p, Ledger led, int i, bool[]? dropped)
    {
        if (p.NeedWp[i] != Problem.Unlimited && led.NeedLeft[i] < p.MinPosW) return "energy_need";
        if (p.Dep[i] == 0) return "departure";
        if (p.CapW[i] == 0) return p.MeasuredCapped[i] ? "session" : "minimum_load";
        int c = p.Cp[i];
        for (int t = 0; t < p.Dep[i]; t++)
        {
            long x = led.Get(i, t);
            if (x >= p.CapW[i]) continue;
            long cpRoom = p.CpCapW[c] - led.CpUsed[c * p.T + t];
            if (cpRoom < (x == 0 ? p.MinPosW : p.StepW)) return "charge_point";
            if (x == 0 && dropped is not null && dropped[i]) return "minimum_load";
            return "network";
        }
        return "session";
    }
}
