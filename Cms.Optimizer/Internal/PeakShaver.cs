namespace Cms.Optimizer.Internal;

/// <summary>
/// Lowest peak among energy-optimal plans (fleet without prices). Grid import in t is charging + baseload − solar;
/// capping it at P caps charging at min(available, P − offset). The energy a flow can deliver under that cap grows
/// with P, so the lowest P that still delivers the unconstrained optimum is found by bisection on max-flows.
/// Stops within 0.5 % (or one power step) of that lowest peak, never below the peak already reached.
/// </summary>
internal static class PeakShaver
{
    public static long[] CappedAvailability(Problem p, long[] availW, long[] needWp, PhaseOrder order, long energy)
    {
        long hi = 0;
        for (int t = 0; t < p.T; t++) hi = Math.Max(hi, availW[t] + p.ImportOffsetW[t]);
        long lo = Math.Max(0, p.PeakSoFarW);
        if (lo >= hi || energy <= 0) return availW;
        if (Delivers(p, Cap(p, availW, lo), needWp, order, energy)) return Cap(p, availW, lo);
        // Invariant: lo fails, hi delivers.
        while (hi - lo > Math.Max(p.StepW, hi / 200))
        {
            long mid = lo + (hi - lo) / 2;
            if (Delivers(p, Cap(p, availW, mid), needWp, order, energy)) hi = mid; else lo = mid;
        }
        return Cap(p, availW, hi);
    }

    private static long[] Cap(Problem p, long[] availW, long peakW)
    {
        var capped = new long[p.T];
        for (int t = 0; t < p.T; t++) capped[t] = Math.Clamp(peakW - p.ImportOffsetW[t], 0, availW[t]);
        return capped;
    }

    private static bool Delivers(Problem p, long[] availW, long[] needWp, PhaseOrder order, long energy)
    {
        var flow = new FlowScheduler(p, availW, needWp);
        flow.Solve(order);
        return flow.TotalFlow >= energy;
    }
}
