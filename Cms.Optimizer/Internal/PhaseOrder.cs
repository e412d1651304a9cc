namespace Cms.Optimizer.Internal;

/// <summary>
/// The order in which the fleet solver fills (session class, period) pairs. Classes: GroupPriority ascending,
/// then priority (0 = opt-out first, then 1..5). Periods: cheapest first, then earliest. Within a class, sessions
/// are tried earliest departure first, then smallest need (more cars on time), then by Id; this only breaks ties
/// between equally good flows.
/// </summary>
internal sealed class PhaseOrder
{
    public required int[][] Classes { get; init; }
    public required int[] Periods { get; init; }

    public static PhaseOrder From(Problem p)
    {
        // Plain key sorts instead of LINQ: this runs on every reoptimization.
        var byClass = new int[p.N];
        var classKey = new long[p.N];
        for (int i = 0; i < p.N; i++)
        {
            byClass[i] = i;
            classKey[i] = ((long)p.Sessions[i].GroupPriority << 3) | (long)p.Sessions[i].Priority;
        }
        var sortKeys = new (long Class, int Dep, long Need, int Id)[p.N];
        for (int i = 0; i < p.N; i++) sortKeys[i] = (classKey[i], p.Dep[i], p.NeedWp[i], i);
        Array.Sort(sortKeys, byClass);

        var classes = new List<int[]>();
        for (int start = 0; start < p.N;)
        {
            int end = start;
            while (end < p.N && sortKeys[end].Class == sortKeys[start].Class) end++;
            classes.Add(byClass[start..end]);
            start = end;
        }

        var periods = new int[p.T];
        var periodKeys = new (double Price, int T)[p.T];
        for (int t = 0; t < p.T; t++) { periods[t] = t; periodKeys[t] = (p.Price?[t] ?? 0, t); }
        Array.Sort(periodKeys, periods);
        return new PhaseOrder { Classes = classes.ToArray(), Periods = periods };
    }

    /// <summary>Same classes, periods latest first: the order of the laxity-keeping second stage (see FleetPlanner).</summary>
    public PhaseOrder LatestFirst()
    {
        var periods = new int[Periods.Length];
        for (int k = 0; k < periods.Length; k++) periods[k] = periods.Length - 1 - k;
        return new PhaseOrder { Classes = Classes, Periods = periods };
    }
}
