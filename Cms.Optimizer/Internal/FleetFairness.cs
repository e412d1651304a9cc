namespace Cms.Optimizer.Internal;

/// <summary>
/// Fleet, within a priority class: max-min fair in served fraction among the plans with the stage-1 period totals (so
/// the same energy and cost), classes still strictly in priority order.
/// - Levels: class by class, the largest λ_c such that every car of the class can reach the fraction λ_c of what it
///   asked for (delivered + need), or what it alone could take if less; found by bisection on exact max-flows with
///   the earlier classes' allocations fixed, to within <see cref="Step"/>, then raised by progressive filling (what
///   the bottleneck leaves goes to the lowest fractions first). A class that can be served in full gets its needs.
/// - Plan: the floors are placed first (the current period least laxity first on the floors, still re-routable, so
///   the placement is exact), then the rest of the current period least laxity first on the whole need and frozen,
///   then the rest of the plan around it, as the laxity stage of <see cref="FleetPlanner"/> does.
/// Why floors and laxity together: only the current period is executed before the next plan. Fairness decides how
/// much each car gets by its departure; laxity decides who gets the power now among the plans that keep those
/// shares, so a car leaving soon is served before one that can wait (what keeps the closed loop's energy).
/// </summary>
internal static class FleetFairness
{
    /// <summary>Progressive filling above the level, in steps of this served fraction.</summary>
    private const double Step = 0.02;

    /// <summary>
    /// The per-car floors (watt-periods), or null when every class can be served in full: then fairness asks nothing
    /// and the plain laxity stage stands. <paramref name="stage1"/> is the stage-1 flow: its class energies are the
    /// most each class can get, in priority order.
    /// </summary>
    public static long[]? Floors(Problem p, long[] totals, long[] needWp, PhaseOrder order, long[] stage1)
    {
        var asked = new double[p.N];
        var got = new double[p.N];
        var reach = new long[p.N];
        for (int i = 0; i < p.N; i++)
        {
            got[i] = DeliveredWp(p, i);
            long alone = p.Dep[i] <= 0 ? 0 : Math.Min(p.CapW[i], p.CpCapW[p.Cp[i]]) * (long)p.Dep[i];
            reach[i] = Math.Min(needWp[i], alone);
            // Unknown need: no floor; the car shares what is left once the others reached the level.
            asked[i] = AskedWp(needWp[i], got[i]);
        }
        long offered = 0;
        foreach (long a in totals) offered += a;
        var floors = new long[p.N];
        bool anyShort = false;
        FlowScheduler? spare = null;
        foreach (var cls in order.Classes)
        {
            long classMax = 0;
            foreach (int i in cls)
                for (int t = 0; t < p.T; t++) classMax += stage1[i * p.T + t];
            // λ = 1 is every car at its full need (or all it alone can take). While every earlier class was served in
            // full, stage 1 already says whether this one can be: no flow needed (the common, uncongested case).
            Set(cls, 1, asked, got, reach, floors);
            if (!anyShort && classMax >= Sum(cls, floors)) continue;
            if (anyShort && Placed(p, totals, order, floors, ref spare) is not null) continue;
            anyShort = true;
            // Level 0: only the earlier classes' amounts (all placed, they were before).
            var lowFloors = (long[])floors.Clone();
            foreach (int i in cls) lowFloors[i] = 0;
            var full = Placed(p, totals, order, lowFloors, ref spare);
            if (full is null) return null; // only a bug gets here, and stage 2 stands
            double lo = 0, hi = 1;
            long fixedSum = Sum(floors) - Sum(cls, floors);
            // Cheap bound first: the class's floors cannot add up to more than the totals leave (no flow needed).
            for (int it = 0; it < 40; it++)
            {
                double mid = 0.5 * (lo + hi);
                if (Sum(cls, Set(cls, mid, asked, got, reach, floors)) + fixedSum <= offered) lo = mid; else hi = mid;
            }
            hi = lo;
            lo = 0;
            // Bisection to within one step of the level; progressive filling below takes it from there. Each try
            // starts from a copy of the last feasible flow and adds only the difference (exact: a max-flow can be
            // reached from any feasible flow).
            var atLo = (long[])lowFloors.Clone();
            var work = new FlowScheduler(p, totals, lowFloors);
            for (double mid = hi; ; mid = 0.5 * (lo + hi))
            {
                Set(cls, mid, asked, got, reach, floors);
                var delta = new long[p.N];
                foreach (int i in cls) delta[i] = Math.Max(0, floors[i] - atLo[i]);
                work.CopyFrom(full);
                work.AddNeed(delta);
                work.Solve(order);
                if (work.TotalFlow >= full.TotalFlow + Sum(cls, delta))
                {
                    lo = mid;
                    (full, work) = (work, full);
                    foreach (int i in cls) atLo[i] = Math.Max(atLo[i], floors[i]);
                }
                else hi = mid;
                if (lo == hi || hi - lo <= Step) break;
            }
            foreach (int i in cls) floors[i] = atLo[i];
            // Fix the class at the most it can take on top of its floors (classes stay strictly ordered): later classes
            // are levelled with these amounts kept. Progressive filling: the level rises in steps and only cars below
            // it ask for more, so what the bottleneck leaves goes to the lowest served fractions first, not to whoever
            // the flow happens to reach first. Stops once the class has what stage 1 gave it (its most).
            var asking = (long[])floors.Clone();
            var extra = new long[p.N];
            long classFlow = Sum(cls, floors);
            for (double up = lo + Step; ; up += Step)
            {
                bool last = up >= 1;
                Array.Clear(extra);
                foreach (int i in cls)
                {
                    long target = last ? needWp[i] : Math.Clamp((long)Math.Floor(up * asked[i] - got[i]), 0, reach[i]);
                    if (target > asking[i]) { extra[i] = target - asking[i]; asking[i] = target; }
                }
                long before = full.TotalFlow;
                full.AddNeed(extra);
                full.Solve(order);
                classFlow += full.TotalFlow - before;
                if (last || classFlow >= classMax) break;
            }
            foreach (int i in cls) floors[i] = Planned(p, full.Flow, i);
        }
        return anyShort ? floors : null;
    }

    /// <summary>The plan keeping the floors, or null when the laxity-first current period cannot keep the stage-1 total.</summary>
    public static FlowScheduler? Plan(Problem p, long[] totals, long[] needWp, PhaseOrder order, long[] floors, long energy)
    {
        var flow = new FlowScheduler(p, totals, floors);
        flow.FillFirstByLaxity(order, 0, freeze: false);
        flow.Solve(order);
        if (flow.TotalFlow < Sum(floors)) return null;
        var extra = new long[p.N];
        for (int i = 0; i < p.N; i++) extra[i] = needWp[i] - floors[i];
        flow.AddNeed(extra);
        flow.FillFirstByLaxity(order, 0);
        flow.Solve(order);
        return flow.TotalFlow >= energy ? flow : null;
    }

    /// <summary>
    /// The same classes and periods, each class's cars by served fraction (delivered + planned) / asked, lowest first:
    /// the order in which <see cref="FleetRounder"/> hands out the power rounding frees, so it does not go to the
    /// earliest departures every time. Cars with an unknown need come last.
    /// </summary>
    public static PhaseOrder ByServedFraction(Problem p, long[] flow, PhaseOrder order)
    {
        var classes = new int[order.Classes.Length][];
        for (int c = 0; c < classes.Length; c++)
        {
            var cls = order.Classes[c];
            var keys = new (double Fraction, int Pos)[cls.Length];
            for (int pos = 0; pos < cls.Length; pos++)
            {
                int i = cls[pos];
                double got = DeliveredWp(p, i);
                double asked = AskedWp(p.NeedWp[i], got);
                keys[pos] = (asked <= 0 ? double.MaxValue : (got + Planned(p, flow, i)) / asked, pos);
            }
            classes[c] = (int[])cls.Clone();
            Array.Sort(keys, classes[c]);
        }
        return new PhaseOrder { Classes = classes, Periods = order.Periods };
    }

    /// <summary>What car i already charged, in watt-periods (the unit of needs and flows).</summary>
    private static double DeliveredWp(Problem p, int i) => Math.Max(0, p.Sessions[i].DeliveredKwh ?? 0) / p.Hours * 1000;

    /// <summary>What car i asked for in all (delivered + need); 0 for an unknown need, which gets no floor.</summary>
    private static double AskedWp(long needWp, double deliveredWp) => needWp == Problem.Unlimited ? 0 : needWp + deliveredWp;

    /// <summary>What the flow gives car i over the horizon.</summary>
    private static long Planned(Problem p, long[] flow, int i)
    {
        long sum = 0;
        for (int t = 0; t < p.T; t++) sum += flow[i * p.T + t];
        return sum;
    }

    private static long[] Set(int[] cls, double level, double[] asked, double[] got, long[] reach, long[] floors)
    {
        foreach (int i in cls) floors[i] = Math.Clamp((long)Math.Floor(level * asked[i] - got[i]), 0, reach[i]);
        return floors;
    }

    private static long Sum(int[] cls, long[] floors)
    {
        long s = 0;
        foreach (int i in cls) s += floors[i];
        return s;
    }

    private static long Sum(long[] floors)
    {
        long s = 0;
        foreach (long f in floors) s += f;
        return s;
    }

    /// <summary>
    /// The floors placed by an exact max-flow under the stage-1 totals, or null when they do not all fit. A rejected
    /// level's scheduler is kept in <paramref name="spare"/> and reset for the next (5,000 cars allocate megabytes).
    /// </summary>
    private static FlowScheduler? Placed(Problem p, long[] totals, PhaseOrder order, long[] floors, ref FlowScheduler? spare)
    {
        FlowScheduler flow;
        if (spare is { } reused) { reused.Reset(floors); flow = reused; spare = null; }
        else flow = new FlowScheduler(p, totals, floors);
        flow.Solve(order);
        if (flow.TotalFlow >= Sum(floors)) return flow;
        spare = flow;
        return null;
    }
}
