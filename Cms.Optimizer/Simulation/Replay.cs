namespace Cms.Optimizer.Simulation;

/// <summary>A recorded session to replay: it plugs in at <see cref="Arrival"/> and leaves at <see cref="Departure"/> (periods).</summary>
public sealed record ReplaySession(string Id, string ChargePointId, double MaxKw, int Arrival, int Departure, double EnergyKwh);

/// <summary>A site to replay: constant per-period limits and prices over the whole span, and the sessions as recorded.</summary>
public sealed record ReplayInput(
    int Periods, double PeriodHours, double[] GridLimitKw, double BufferFraction, double[]? Price,
    double MinimumLoadKw, double PowerStepKw, IReadOnlyList<ChargePointLimit> ChargePoints, IReadOnlyList<ReplaySession> Sessions,
    Objective Objective, bool MinimizePeak = false);

/// <summary>What the replay delivered against the clairvoyant optimum; LoadKw is the charging load per period.</summary>
public sealed record ReplayOutput(double RequestedKwh, double DeliveredKwh, double OptimumKwh, double Cost, double PeakKw,
    double OnTimePct, int Violations, int Runs, double[] LoadKw)
{
    public double PercentOfOptimum => OptimumKwh <= 1e-9 ? 100 : 100 * DeliveredKwh / OptimumKwh;
}

/// <summary>
/// What-if replay through the real optimizer, as a closed loop: at every period the sessions plugged in (each with
/// its remaining energy and its departure, as a driver or a default would tell) are optimized over the next
/// <see cref="MaxHorizon"/> periods at most; the first period is executed (a car draws its limit until full) and the
/// loop moves on. Arrivals are revealed only when they happen. The optimum is the clairvoyant max energy (every
/// arrival known, charging only, no minimum load or step): <see cref="ClairvoyantEnergy"/>.
/// </summary>
public static class Replay
{
    public const int MaxHorizon = 96;

    public static ReplayOutput Run(ReplayInput input)
    {
        var sessions = input.Sessions.Where(s => s.Departure > s.Arrival && s.Arrival >= 0).OrderBy(s => s.Arrival).ToList();
        var left = sessions.ToDictionary(s => s.Id, s => Math.Max(0, s.EnergyKwh));
        var delivered = sessions.ToDictionary(s => s.Id, _ => 0.0);
        var load = new double[input.Periods];
        double cost = 0, peak = 0;
        int violations = 0, runs = 0, next = 0;
        var active = new List<ReplaySession>();
        for (int k = 0; k < input.Periods; k++)
        {
            while (next < sessions.Count && sessions[next].Arrival <= k) active.Add(sessions[next++]);
            active.RemoveAll(s => s.Departure <= k || left[s.Id] <= 1e-9);
            if (active.Count == 0) continue;
            int horizon = Math.Clamp(active.Max(s => s.Departure) - k, 1, Math.Min(MaxHorizon, input.Periods - k));
            var snapshot = new OptimizationInput(
                new NetworkLimits
                {
                    Periods = horizon, PeriodHours = input.PeriodHours, GridLimitKw = input.GridLimitKw[k..(k + horizon)],
                    BufferFraction = input.BufferFraction, Price = input.Price?[k..(k + horizon)], MinimumLoadKw = input.MinimumLoadKw,
                    PowerStepKw = input.PowerStepKw, PeakSoFarKw = peak, MinimizePeak = input.MinimizePeak,
                },
                input.ChargePoints,
                active.Select(s => new SessionInput
                {
                    Id = s.Id, ChargePointId = s.ChargePointId, MaxKw = s.MaxKw, EnergyNeedKwh = left[s.Id],
                    DeliveredKwh = delivered[s.Id], DeparturePeriod = s.Departure - k,
                }).ToList(),
                input.Objective);
            var plan = SmartChargingOptimizer.Optimize(snapshot);
            runs++;
            double available = Math.Max(0, input.GridLimitKw[k] * (1 - input.BufferFraction));
            double sum = 0;
            foreach (var schedule in plan.Schedules)
            {
                double kw = Math.Max(0, schedule.LimitsKw[0]);
                double kwh = Math.Min(kw * input.PeriodHours, left[schedule.SessionId]);
                left[schedule.SessionId] -= kwh;
                delivered[schedule.SessionId] += kwh;
                sum += kw;
                load[k] += kwh / input.PeriodHours;
            }
            if (sum > available + 1e-6) violations++;
            cost += load[k] * input.PeriodHours * (input.Price?[k] ?? 0);
            peak = Math.Max(peak, load[k]);
        }
        double requested = sessions.Sum(s => Math.Max(0, s.EnergyKwh));
        double onTime = sessions.Count == 0 ? 100 : 100.0 * sessions.Count(s => delivered[s.Id] >= s.EnergyKwh - 0.1) / sessions.Count;
        return new ReplayOutput(requested, delivered.Values.Sum(), ClairvoyantEnergy(input), cost, peak, onTime, violations, runs, load);
    }

    /// <summary>
    /// Max energy with every arrival known (Dinic max-flow, integer watts): source → session (need) → (charge point,
    /// period) within its stay (session cap) → period (charge point cap) → sink (available capacity).
    /// </summary>
    public static double ClairvoyantEnergy(ReplayInput input)
    {
        var cpIndex = input.ChargePoints.Select((c, k) => (c.Id, k)).ToDictionary(x => x.Id, x => x.k);
        int sessions = input.Sessions.Count, T = input.Periods, C = input.ChargePoints.Count;
        int source = 0, sessionBase = 1, cpBase = sessionBase + sessions, periodBase = cpBase + C * T, sink = periodBase + T;
        var g = new Dinic(sink + 1);
        long W(double kw) => (long)Math.Floor(Math.Max(0, kw) * 1000 + 1e-6);
        for (int t = 0; t < T; t++)
        {
            g.Add(periodBase + t, sink, W(input.GridLimitKw[t] * (1 - input.BufferFraction)));
            for (int c = 0; c < C; c++) g.Add(cpBase + c * T + t, periodBase + t, W(input.ChargePoints[c].MaxKw));
        }
        for (int i = 0; i < sessions; i++)
        {
            var s = input.Sessions[i];
            int c = cpIndex[s.ChargePointId];
            g.Add(source, sessionBase + i, (long)Math.Floor(Math.Max(0, s.EnergyKwh) / input.PeriodHours * 1000 + 1e-6));
            long cap = Math.Min(W(s.MaxKw), W(input.ChargePoints[c].MaxKw));
            for (int t = Math.Max(0, s.Arrival); t < Math.Min(T, s.Departure); t++) g.Add(sessionBase + i, cpBase + c * T + t, cap);
        }
        return g.MaxFlow(source, sink) * input.PeriodHours / 1000;
    }

    /// <summary>Plain Dinic max-flow on an arc list (paired residual arcs).</summary>
    private sealed class Dinic(int nodes)
    {
        private readonly List<int> _to = [], _next = [];
        private readonly List<long> _cap = [];
        private readonly int[] _head = Enumerable.Repeat(-1, nodes).ToArray();

        public void Add(int u, int v, long cap)
        {
            if (cap <= 0) return;
            _to.Add(v); _cap.Add(cap); _next.Add(_head[u]); _head[u] = _to.Count - 1;
            _to.Add(u); _cap.Add(0); _next.Add(_head[v]); _head[v] = _to.Count - 1;
        }

        public long MaxFlow(int s, int t)
        {
            long total = 0;
            var level = new int[_head.Length];
            var it = new int[_head.Length];
            var queue = new int[_head.Length];
            while (true)
            {
                Array.Fill(level, -1);
                int qh = 0, qt = 0;
                level[s] = 0; queue[qt++] = s;
                while (qh < qt)
                {
                    int v = queue[qh++];
                    for (int a = _head[v]; a >= 0; a = _next[a])
                        if (_cap[a] > 0 && level[_to[a]] < 0) { level[_to[a]] = level[v] + 1; queue[qt++] = _to[a]; }
                }
                if (level[t] < 0) return total;
                Array.Copy(_head, it, _head.Length);
                long f;
                while ((f = Push(s, t, long.MaxValue, level, it)) > 0) total += f;
            }
        }

        private long Push(int v, int t, long limit, int[] level, int[] it)
        {
            if (v == t) return limit;
            for (; it[v] >= 0; it[v] = _next[it[v]])
            {
                int a = it[v], w = _to[a];
                if (_cap[a] <= 0 || level[w] != level[v] + 1) continue;
                long d = Push(w, t, Math.Min(limit, _cap[a]), level, it);
                if (d <= 0) continue;
                _cap[a] -= d; _cap[a ^ 1] += d;
                return d;
            }
            return 0;
        }
    }
}
