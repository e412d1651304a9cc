namespace Cms.Optimizer.Internal;

/// <summary>
/// load_sharing over the whole horizon when every car's need and departure are known: the largest common level λ
/// such that every car can reach the fraction λ·(6 − priority)/5 of what it asked for (delivered + need), found by
/// bisection with exact max-flows; then, on top of those floors, as much energy as the network can still deliver.
/// The per-period split is myopic: it cannot see that a car leaving soon needs power now while another can wait.
/// A car whose own cap or stay limits it below the level is capped at what it alone could take, so it does not
/// hold the level down for everyone (the max-min fair answer for such a car).
/// </summary>
internal static class FairHorizonPlanner
{
    private const int Iterations = 20;

    /// <summary>
    /// True when the horizon plan applies: no opt-out (priority 0) session, and every need known or the site's history
    /// stood in for unknown ones (<see cref="NetworkLimits.NeedsFromHistory"/>). Without history an unknown need keeps
    /// the per-period split.
    /// </summary>
    public static bool Applies(Problem p, bool needsFromHistory)
    {
        if (p.N == 0 || p.T < 2) return false;
        foreach (var s in p.Sessions)
            if ((s.EnergyNeedKwh is null && !needsFromHistory) || s.Priority == 0) return false;
        return true;
    }

    public static Ledger Plan(Problem p)
    {
        var order = PhaseOrder.From(p);
        var asked = new double[p.N];
        var got = new double[p.N];
        var weight = new double[p.N];
        var reach = new long[p.N];
        for (int i = 0; i < p.N; i++)
        {
            got[i] = Math.Max(0, p.Sessions[i].DeliveredKwh ?? 0) / p.Hours * 1000;
            asked[i] = p.NeedWp[i] + got[i];
            weight[i] = (6 - p.Sessions[i].Priority) / 5.0;
            long alone = p.Dep[i] <= 0 ? 0 : Math.Min(p.CapW[i], p.CpCapW[p.Cp[i]]) * (long)p.Dep[i];
            reach[i] = Math.Min(p.NeedWp[i], alone);
            // Need still unknown although the site has history (the car is beyond anything seen): no floor; it shares
            // what is left once every car with a need reached the common level.
            if (p.NeedWp[i] == Problem.Unlimited) asked[i] = 0;
        }

        var floors = new long[p.N];
        var spare = new Spare();
        long offered = 0;
        foreach (long a in p.AvailW) offered += a;
        // Cheap bound first: the floors cannot add up to more than the network offers (no flow needed). In a congested
        // site the level usually sits right there, so one max-flow settles it.
        double lo = 0, hi = 5;
        if (Sum(Floors(p, hi, asked, got, weight, reach, floors)) > offered)
            for (int it = 0; it < 40; it++)
            {
                double mid = 0.5 * (lo + hi);
                if (Sum(Floors(p, mid, asked, got, weight, reach, floors)) <= offered) lo = mid; else hi = mid;
            }
        else lo = hi;
        hi = lo;
        lo = 0;
        var best = Placed(p, order, Floors(p, hi, asked, got, weight, reach, floors), spare);
        if (best is null)
        {
            // Bisect until the floors of the two ends differ by at most 0.1 % of what is offered: the extension
            // below hands out the rest.
            // Each step only needs a yes or no; the flow of the final level is built once, after.
            long slack = Math.Max(p.N, offered / 1000);
            bool anyFeasible = false;
            for (int it = 0; it < Iterations; it++)
            {
                long sumHi = Sum(Floors(p, hi, asked, got, weight, reach, floors));
                long sumLo = Sum(Floors(p, lo, asked, got, weight, reach, floors));
                if (sumHi - sumLo <= slack && anyFeasible) break;
                double mid = 0.5 * (lo + hi);
                if (Feasible(p, order, Floors(p, mid, asked, got, weight, reach, floors), spare)) { lo = mid; anyFeasible = true; }
                else hi = mid;
            }
            best = Placed(p, order, Floors(p, lo, asked, got, weight, reach, floors), spare)!;
        }
        var flow = best;
        var extra = new long[p.N];
        for (int i = 0; i < p.N; i++) extra[i] = p.NeedWp[i] - floors[i];
        flow.AddNeed(extra);
        flow.Solve(order);
        return FleetRounder.Round(p, flow.Flow, p.AvailW, p.NeedWp, order);
    }

    private static long[] Floors(Problem p, double level, double[] asked, double[] got, double[] weight, long[] reach, long[] floors)
    {
        for (int i = 0; i < p.N; i++)
            floors[i] = Math.Clamp((long)Math.Floor(level * weight[i] * asked[i] - got[i]), 0, reach[i]);
        return floors;
    }

    /// <summary>
    /// A necessary condition, checked in O(N·T) before the max-flow (most levels the bisection rejects fail it): for
    /// every period d, what the cars must get before d (their floor minus the most they could take from d until they
    /// leave) fits what the network offers before d. True = the floors are certainly infeasible; false proves nothing.
    /// </summary>
    private static bool MissesADeadline(Problem p, long[] floors)
    {
        var must = new long[p.T + 1];
        for (int i = 0; i < p.N; i++)
        {
            long f = floors[i];
            if (f <= 0) continue;
            long cap = Math.Min(p.CapW[i], p.CpCapW[p.Cp[i]]);
            // Past max(0, Dep − f/cap) the car can no longer take its floor later alone.
            int from = (int)Math.Max(1, p.Dep[i] - f / Math.Max(1, cap));
            for (int d = from; d <= p.T; d++)
            {
                long after = d >= p.Dep[i] ? 0 : cap * (p.Dep[i] - d);
                if (f > after) must[d] += f - after;
            }
        }
        long offered = 0;
        for (int d = 1; d <= p.T; d++)
        {
            offered += p.AvailW[d - 1];
            if (must[d] > offered) return true;
        }
        return false;
    }

    private static long Sum(long[] floors)
    {
        long sum = 0;
        foreach (long f in floors) sum += f;
        return sum;
    }

    /// <summary>
    /// Whether the network can give every car its floor: yes at once when a plain earliest-departure-first fill already
    /// places them all (an explicit feasible plan), else the exact max-flow decides.
    /// </summary>
    private static bool Feasible(Problem p, PhaseOrder order, long[] floors, Spare spare)
    {
        if (FillsEarliestDepartureFirst(p, floors, spare)) return true;
        var placed = Placed(p, order, floors, spare);
        if (placed is null) return false;
        spare.Flow = placed;
        return true;
    }

    /// <summary>
    /// A certificate of feasibility in O(N·T): cars by departure, earliest first, each filling its floor from its last
    /// period backwards under its cap, its charge point's and the network's. False proves nothing.
    /// </summary>
    private static bool FillsEarliestDepartureFirst(Problem p, long[] floors, Spare spare)
    {
        spare.ByDeparture ??= Enumerable.Range(0, p.N).OrderBy(i => p.Dep[i]).ThenBy(i => i).ToArray();
        var cpUsed = spare.CpUsed ??= new long[p.CpCount * p.T];
        var netUsed = spare.NetUsed ??= new long[p.T];
        Array.Clear(cpUsed);
        Array.Clear(netUsed);
        foreach (int i in spare.ByDeparture)
        {
            long left = floors[i];
            int c = p.Cp[i];
            for (int t = p.Dep[i] - 1; t >= 0 && left > 0; t--)
            {
                long x = Math.Min(Math.Min(left, p.CapW[i]), Math.Min(p.CpCapW[c] - cpUsed[c * p.T + t], p.AvailW[t] - netUsed[t]));
                if (x <= 0) continue;
                cpUsed[c * p.T + t] += x;
                netUsed[t] += x;
                left -= x;
            }
            if (left > 0) return false;
        }
        return true;
    }

    /// <summary>A scheduler a rejected level left behind, reused by the next one.</summary>
    private sealed class Spare
    {
        public FlowScheduler? Flow;
        public int[]? ByDeparture;
        public long[]? CpUsed;
        public long[]? NetUsed;
    }

    /// <summary>The floors placed by an exact max-flow, or null when the network cannot give every car its floor.</summary>
    private static FlowScheduler? Placed(Problem p, PhaseOrder order, long[] floors, Spare spare)
    {
        if (MissesADeadline(p, floors)) return null;
        FlowScheduler flow;
        if (spare.Flow is { } reused) { reused.Reset(floors); flow = reused; spare.Flow = null; }
        else flow = new FlowScheduler(p, p.AvailW, floors);
        flow.Solve(order);
        if (flow.TotalFlow >= Sum(floors)) return flow;
        spare.Flow = flow;
        return null;
    }
}
