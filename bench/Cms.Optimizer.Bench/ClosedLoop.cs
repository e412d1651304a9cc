namespace Cms.Optimizer.Bench;

/// <summary>Per-run figures, in the units of the printed table.</summary>
public sealed record RunStats(string Scenario, string Policy, int Violations, double DemandKwh, double DeliveredKwh,
    double OnTimePct, double Cost, double PeakKw, double Jain, double P50Ms, double P95Ms, double CpuP50Ms, double CpuP95Ms, int MaxActive);

/// <summary>
/// Model-predictive closed loop: at every period boundary the policy sees the cars present (remaining need,
/// departure relative to now) and the rest of the day; the first period of its plan is executed (the car draws its
/// limit, an ideal battery); repeat. Every plan is checked against the hard rules over its whole horizon.
/// </summary>
public static class ClosedLoop
{
    public static RunStats Run(Scenario sc, IPolicy policy, bool trace = false) => Run(sc, policy, out _, trace);

    public static RunStats Run(Scenario sc, IPolicy policy, out Dictionary<string, double> deliveredKwh, bool trace = false)
    {
        if (sc.Metered) return MeteredLoop.Run(sc, policy, out deliveredKwh);
        var left = sc.Sessions.ToDictionary(s => s.Id, s => s.NeedKwh);
        var delivered = sc.Sessions.ToDictionary(s => s.Id, _ => 0.0);
        // Last plan per session, shifted so index 0 is the current period (feeds the fair rotation).
        var previous = new Dictionary<string, double[]>();
        var times = new List<double>();
        var cpu = new List<double>();
        int violations = 0, maxActive = 0;
        double cost = 0, peak = 0;
        for (int k = 0; k < sc.Periods; k++)
        {
            int horizon = sc.Periods - k;
            var active = sc.Sessions.Where(s => s.Arrival <= k && k < s.Departure && left[s.Id] > 1e-9).ToList();
            maxActive = Math.Max(maxActive, active.Count);
            var input = Snapshot(sc, k, horizon, active, left, previous, delivered);
            input = input with { Network = input.Network with { PeakSoFarKw = Math.Max(peak, sc.PeakHintKw), MinimizePeak = sc.MinimizePeak } };
            var plan = CpuClock.Timed(() => policy.Plan(input), times, cpu);
            if (trace) Console.WriteLine($"{sc.Name} k={k} active={active.Count} cpu={cpu[^1]:F1} ms");
            violations += Checker.Count(input, plan, onlyFirstPeriod: policy is LlfPolicy);
            double load = 0;
            previous.Clear();
            foreach (var sch in plan.Schedules)
            {
                if (sch.LimitsKw.Length > 1) previous[sch.SessionId] = sch.LimitsKw[1..];
                // The car takes at most what it really still needs (the policy may have planned with a default).
                double x = sch.LimitsKw[0];
                double e = x > 0 ? Math.Min(x * sc.PeriodHours, Math.Max(0, left[sch.SessionId])) : x * sc.PeriodHours;
                x = e / sc.PeriodHours;
                delivered[sch.SessionId] += e;
                left[sch.SessionId] -= e;
                load += x;
            }
            cost += load * sc.PeriodHours * (sc.Price?[k] ?? 0);
            peak = Math.Max(peak, load + (sc.BaseloadKw?[k] ?? 0) - (sc.SolarKw?[k] ?? 0));
        }
        deliveredKwh = delivered;
        return Stats(sc, policy, delivered, times, cpu, violations, cost, peak, maxActive);
    }

    public static RunStats Stats(Scenario sc, IPolicy policy, Dictionary<string, double> delivered, List<double> times, List<double> cpu,
                                 int violations, double cost, double peak, int maxActive)
    {
        // BENCH_CHECKSUM=1: the exact energy delivered, to check a speed-up left every plan as it was.
        if (Environment.GetEnvironmentVariable("BENCH_CHECKSUM") is not null)
            Console.Error.WriteLine($"checksum {sc.Name} {policy.Name} delivered {delivered.Values.Sum():F9} kWh");
        double demand = sc.Sessions.Sum(s => s.NeedKwh);
        double got = delivered.Values.Sum();
        double onTime = 100.0 * sc.Sessions.Count(s => delivered[s.Id] >= s.NeedKwh - 0.1) / Math.Max(1, sc.Sessions.Count);
        var frac = sc.Sessions.Select(s => delivered[s.Id] / s.NeedKwh).ToArray();
        double jain = frac.Length == 0 ? 1 : frac.Sum() * frac.Sum() / (frac.Length * frac.Sum(f => f * f));
        times.Sort();
        cpu.Sort();
        return new RunStats(sc.Name, policy.Name, violations, demand, got, onTime, cost, peak, jain,
            Percentile(times, 0.5), Percentile(times, 0.95), Percentile(cpu, 0.5), Percentile(cpu, 0.95), maxActive);
    }

    private static double Percentile(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];

    private static T[]? Slice<T>(T[]? a, int from) => a?[from..];

    public static OptimizationInput Snapshot(Scenario sc, int k, int horizon, List<BenchSession> active, Dictionary<string, double> left,
                                             Dictionary<string, double[]>? previous = null, Dictionary<string, double>? delivered = null)
    {
        var net = new NetworkLimits
        {
            Periods = horizon, PeriodHours = sc.PeriodHours, GridLimitKw = sc.GridLimitKw[k..], BufferFraction = sc.BufferFraction,
            BaseloadKw = Slice(sc.BaseloadKw, k), SolarKw = Slice(sc.SolarKw, k), Price = Slice(sc.Price, k),
            V2gExportKw = Slice(sc.V2gExportKw, k), MinimumLoadKw = sc.MinimumLoadKw, PowerStepKw = sc.PowerStepKw,
            NeedsFromHistory = sc.History is not null,
        };
        var sessions = active.Select(s => new SessionInput
        {
            Id = s.Id, ChargePointId = s.ChargePointId, MaxKw = s.MaxKw,
            EnergyNeedKwh = sc.History is { } h ? h.RemainingEnergyKwh(s.NeedKwh - left[s.Id]) : Math.Max(0, left[s.Id]),
            DeparturePeriod = sc.History is { } hd
                ? hd.RemainingHours((k - s.Arrival) * sc.PeriodHours) is { } rest ? (int)Math.Ceiling(rest / sc.PeriodHours - 1e-9) : null
                : s.Departure - k, MaxDischargeKw = s.MaxDischargeKw, Priority = s.Priority,
            PreviousLimitsKw = previous?.GetValueOrDefault(s.Id), DeliveredKwh = delivered is null ? null : Math.Max(0, delivered.GetValueOrDefault(s.Id)),
        }).ToList();
        return new OptimizationInput(net, sc.ChargePoints, sessions, Objective.LoadSharing);
    }
}
