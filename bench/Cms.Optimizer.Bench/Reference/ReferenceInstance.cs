namespace Cms.Optimizer.Bench.Reference;

/// <summary>
/// Builds the textbook flow network straight from an <see cref="OptimizationInput"/> (charging only):
/// source → session (need) → session-period (session cap, window [arrival, departure)) → charge-point-period
/// (cp cap) → period (network cap) → sink. Units: watts and watt-periods, floored like the contract demands.
/// Price cost is on the period → sink arc, scaled to integers.
/// </summary>
public static class ReferenceInstance
{
    public const long PriceScale = 1_000_000;

    public static long W(double kw) => (long)Math.Floor(kw * 1000 + 1e-6);

    /// <param name="arrival">Optional first period per session (offline instances); 0 when null.</param>
    public static (FlowGraph Graph, int Source, int Sink) Build(OptimizationInput input, int[]? arrival = null)
    {
        var net = input.Network;
        int T = net.Periods;
        var cpIndex = input.ChargePoints.Select((c, k) => (c.Id, k)).ToDictionary(x => x.Id, x => x.k);
        int S = input.Sessions.Count, C = input.ChargePoints.Count;
        // Nodes: source, sessions, cp-periods, periods, sink.
        int source = 0, sessionBase = 1, cpBase = sessionBase + S, periodBase = cpBase + C * T, sink = periodBase + T;
        var g = new FlowGraph(sink + 1);
        for (int t = 0; t < T; t++)
        {
            double a = net.GridLimitKw[t] * (1 - net.BufferFraction) - (net.BaseloadKw?[t] ?? 0)
                       + (net.SolarKw?[t] ?? 0) - net.ReservedKw;
            long price = net.Price is null ? 0 : (long)Math.Round(net.Price[t] * PriceScale);
            g.AddArc(periodBase + t, sink, Math.Max(0, W(Math.Max(0, a))), price);
            for (int c = 0; c < C; c++)
                g.AddArc(cpBase + c * T + t, periodBase + t, W(input.ChargePoints[c].MaxKw));
        }
        for (int i = 0; i < S; i++)
        {
            var s = input.Sessions[i];
            long need = s.EnergyNeedKwh is { } e ? (long)Math.Floor(e / net.PeriodHours * 1000 + 1e-6) : long.MaxValue / 8;
            g.AddArc(source, sessionBase + i, need);
            int c = cpIndex[s.ChargePointId];
            int dep = Math.Min(T, s.DeparturePeriod ?? T);
            long cap = Math.Min(W(s.MaxKw), W(input.ChargePoints[c].MaxKw));
            for (int t = arrival?[i] ?? 0; t < dep; t++)
                g.AddArc(sessionBase + i, cpBase + c * T + t, cap);
        }
        return (g, source, sink);
    }
}
