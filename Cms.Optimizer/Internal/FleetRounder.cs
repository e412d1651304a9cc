namespace Cms.Optimizer.Internal;

/// <summary>
/// Minimum load and power step make the true problem a MILP. We round the exact flow DOWN onto the allowed
/// grid (never up), then re-fill the freed power greedily in the same phase order as the flow.
/// </summary>
internal static class FleetRounder
{
    /// <param name="nearFlowFirst">
    /// First raise each car only back up to its exact flow (rounded up onto the grid), in <paramref name="order"/>;
    /// then refill as usual. For a levelled plan: a car raised to its full room in one period would jump far past
    /// the others' served fraction, and the closed loop cannot take that back.
    /// </param>
    public static Ledger Round(Problem p, long[] flow, long[] availW, long[] needWp, PhaseOrder order, bool nearFlowFirst = false)
    {
        var led = new Ledger(p, availW, needWp);
        for (int i = 0; i < p.N; i++)
            for (int t = 0; t < p.T; t++)
            {
                long x = p.Allowed(flow[i * p.T + t]);
                if (x > 0) led.Set(i, t, x);
            }

        if (nearFlowFirst)
            foreach (var cls in order.Classes)
                foreach (int t in order.Periods)
                {
                    if (led.NetUsed[t] >= availW[t]) continue;
                    foreach (int i in cls)
                    {
                        long f = flow[i * p.T + t];
                        if (f > led.Get(i, t)) led.Raise(i, t, Math.Max(p.CeilStep(f), p.MinPosW));
                    }
                }

        foreach (var cls in order.Classes)
            foreach (int t in order.Periods)
            {
                if (led.NetUsed[t] >= availW[t]) continue;
                foreach (int i in cls)
                {
                    // Too little left for one more step (or for a new period at the minimum): nothing to raise.
                    long left = led.NeedLeft[i];
                    if (left < p.StepW || (left < p.MinPosW && led.Get(i, t) == 0)) continue;
                    led.Raise(i, t);
                }
            }

        foreach (var cls in order.Classes)
            foreach (int i in cls)
                TopUpRemainder(p, led, i);
        for (int t = 0; t < p.T; t++)
            if (led.Avail[t] - led.NetUsed[t] >= p.StepW)
                foreach (var cls in order.Classes)
                    foreach (int i in cls)
                        PullForward(p, led, i, t);
        return led;
    }

    /// <summary>
    /// Rounding can leave power in period t that no car with unplanned need can take, while cars planned to charge later
    /// could take it now. Move such energy forward (from the latest period, never from a cheaper one, so cost can't
    /// rise): totals stay, and the closed loop does not lose power that rounding freed in the period it executes.
    /// </summary>
    private static void PullForward(Problem p, Ledger led, int i, int t)
    {
        if (t >= p.Dep[i]) return;
        double price = p.Price?[t] ?? 0;
        for (int s = p.Dep[i] - 1; s > t; s--)
        {
            long xs = led.Get(i, s);
            if (xs <= 0 || (p.Price?[s] ?? 0) < price) continue;
            long xt = led.Get(i, t);
            int c = p.Cp[i];
            long room = Math.Min(Math.Min(p.CapW[i] - xt, p.CpCapW[c] - led.CpUsed[c * p.T + t]), led.Avail[t] - led.NetUsed[t]);
            long d = p.FloorStep(Math.Min(room, xs));
            if (xs - d > 0 && xs - d < p.MinPosW) d = xs - p.MinPosW;   // keep what stays in s at the minimum
            if (xt == 0 && d < p.MinPosW) continue;                     // a new period must start at the minimum
            if (d <= 0) return;
            led.Set(i, s, xs - d);
            led.Set(i, t, xt + d);
        }
    }

    /// <summary>
    /// A remainder below the minimum load can't be a period of its own. Shift part of a large period into a free
    /// period so both stay at or above the minimum: e.g. 7.4 + 3.0 kW becomes 5.2 + 5.2 kW.
    /// </summary>
    private static void TopUpRemainder(Problem p, Ledger led, int i)
    {
        long left = led.NeedLeft[i];
        if (left <= 0 || left >= p.MinPosW || p.CapW[i] < p.MinPosW) return;
        long delta = p.CeilStep(p.MinPosW - left);
        for (int q = 0; q < p.Dep[i]; q++)
        {
            if (led.Get(i, q) != 0) continue;
            // Room for the minimum in q, counting the delta we give back from p below as need.
            int c = p.Cp[i];
            long room = Math.Min(Math.Min(p.CapW[i], p.CpCapW[c] - led.CpUsed[c * p.T + q]), led.Avail[q] - led.NetUsed[q]);
            if (room < p.MinPosW) continue;
            for (int s = 0; s < p.Dep[i]; s++)
            {
                long x = led.Get(i, s);
                if (x - delta < p.MinPosW) continue;
                led.Set(i, s, x - delta);
                led.Set(i, q, p.MinPosW);
                return;
            }
            return;
        }
    }
}
