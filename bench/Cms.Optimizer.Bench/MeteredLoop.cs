namespace Cms.Optimizer.Bench;

/// <summary>
/// The closed loop as Core runs it when nobody tells a car's needs (<see cref="Scenario.Metered"/>). Besides the
/// 15-minute boundary, Core replans whenever a charger reports a change (ChargerStatus: a StatusNotification). A car
/// that fills up stops drawing under a positive limit, so its charger reports SuspendedEV at that moment; Core then
/// plans it at 0 (SessionDefaults: an unknown need of a car that stopped drawing after it charged is 0) and replans
/// the rest of the period for the others. The car stays plugged in until it really leaves. Every car's meter shows
/// what it drew under the limit it was offered (optimizeWithMeterValue, on by default). Nothing else is known: the
/// policy sees only the history defaults, what each car has taken and drawn, and which cars stopped.
/// </summary>
public static class MeteredLoop
{
    public static RunStats Run(Scenario sc, IPolicy policy, out Dictionary<string, double> deliveredKwh)
    {
        var left = sc.Sessions.ToDictionary(s => s.Id, s => s.NeedKwh);
        var delivered = sc.Sessions.ToDictionary(s => s.Id, _ => 0.0);
        var stopped = new HashSet<string>();
        var meter = new Dictionary<string, (double Kw, double OfferedKw)>();
        var previous = new Dictionary<string, double[]>();
        var times = new List<double>();
        var cpu = new List<double>();
        int violations = 0, maxActive = 0;
        double cost = 0, peak = 0;
        double h = sc.PeriodHours;
        for (int k = 0; k < sc.Periods; k++)
        {
            var active = sc.Sessions.Where(s => s.Arrival <= k && k < s.Departure).ToList();
            maxActive = Math.Max(maxActive, active.Count);
            double t = 0, periodPeak = 0;
            while (t < h)
            {
                var input = ClosedLoop.Snapshot(sc, k, sc.Periods - k, active, left, previous, delivered);
                input = input with
                {
                    Sessions = input.Sessions.Select(s => stopped.Contains(s.Id) ? s with { EnergyNeedKwh = 0 }
                        : meter.TryGetValue(s.Id, out var m) ? s with { MeasuredKw = m.Kw, OfferedKw = m.OfferedKw } : s).ToList(),
                };
                var plan = CpuClock.Timed(() => policy.Plan(input), times, cpu);
                violations += Checker.Count(input, plan);
                // The plan holds until the next change a charger reports: the first car to fill up, else the boundary.
                double next = h;
                foreach (var sch in plan.Schedules)
                    if (sch.LimitsKw[0] > 0 && left[sch.SessionId] > 1e-9) next = Math.Min(next, t + left[sch.SessionId] / sch.LimitsKw[0]);
                if (next > h - 1e-9) next = h;
                double load = 0;
                foreach (var sch in plan.Schedules)
                {
                    double x = Math.Max(0, sch.LimitsKw[0]);
                    double e = Math.Min(x * (next - t), Math.Max(0, left[sch.SessionId]));
                    delivered[sch.SessionId] += e;
                    left[sch.SessionId] -= e;
                    load += e / (next - t);
                    meter[sch.SessionId] = (e / (next - t), x);
                    if (x > 0 && left[sch.SessionId] <= 1e-9) stopped.Add(sch.SessionId);
                }
                cost += load * (next - t) * (sc.Price?[k] ?? 0);
                periodPeak = Math.Max(periodPeak, load);
                // The previous plan as the next run sees it: from this period on within it, from the next at the boundary.
                previous.Clear();
                foreach (var sch in plan.Schedules)
                    previous[sch.SessionId] = next < h ? sch.LimitsKw : sch.LimitsKw.Length > 1 ? sch.LimitsKw[1..] : [];
                t = next;
            }
            peak = Math.Max(peak, periodPeak + (sc.BaseloadKw?[k] ?? 0) - (sc.SolarKw?[k] ?? 0));
        }
        deliveredKwh = delivered;
        return ClosedLoop.Stats(sc, policy, delivered, times, cpu, violations, cost, peak, maxActive);
    }
}
