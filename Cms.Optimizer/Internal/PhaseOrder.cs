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
        var classes = Enumerable.Range(0, p.N)
            .GroupBy(i => (p.Sessions[i].GroupPriority, p.Sessions[i].Priority))
            .OrderBy(g => g.Key.GroupPriority).ThenBy(g => g.Key.Priority)
            .Select(g => g.OrderBy(i => p.Dep[i]).ThenBy(i => p.NeedWp[i]).ThenBy(i => i).ToArray())
            .ToArray();
        var periods = Enumerable.Range(0, p.T)
            .OrderBy(t => p.Price?[t] ?? 0).ThenBy(t => t)
            .ToArray();
        return new PhaseOrder { Classes = classes, Periods = periods };
    }
}
