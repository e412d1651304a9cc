namespace Cms.Optimizer.Internal;

/// <summary>
/// Fleet plan in two exact stages.
/// 1. Energy first, then cost, then earliest: min-cost flow filling (class, period) pairs cheapest-then-earliest.
///    Its per-period totals y_t alone fix the plan's energy (Σ y) and cost (Σ price·y).
/// 2. Keep laxity: with the caps set to y_t, the current period (the one a closed loop executes before it plans
///    again) is handed out least laxity first, class by class, and frozen; the rest of the plan is solved around it.
///    Energy and cost are unchanged when that allocation extends to a full plan (checked: otherwise stage 1 stands).
///    Why: an energy-optimal snapshot plan is blind to cars that arrive later. Which cars get the power now decides
///    how much slack is left for them; serving the least slack first keeps the most cars able to finish and leaves
///    the cars that can wait holding need that soaks up power nobody else can use later (what LLF gets right).
///    When a class cannot be served in full, stage 2 first makes the plan max-min fair in served fraction within each
///    class (<see cref="FleetFairness"/>), and the current period goes least laxity first among the plans that keep
///    those shares.
/// </summary>
internal static class FleetPlanner
{
    public static (long[] Flow, long Total) Solve(Problem p, long[] availW, long[] needWp, PhaseOrder order) =>
        Solve(p, availW, needWp, order, out _);

    /// <summary><paramref name="fair"/>: a class could not be served in full, so the plan keeps max-min fair floors.</summary>
    public static (long[] Flow, long Total) Solve(Problem p, long[] availW, long[] needWp, PhaseOrder order, out bool fair)
    {
        fair = false;
        var first = new FlowScheduler(p, availW, needWp);
        first.Solve(order);
        if (p.T < 2) return (first.Flow, first.TotalFlow);
        var totals = (long[])first.PeriodFlow.Clone();
        if (FleetFairness.Floors(p, totals, needWp, order, first.Flow) is { } floors
            && FleetFairness.Plan(p, totals, needWp, order, floors, first.TotalFlow) is { } levelled)
        {
            fair = true;
            return (levelled.Flow, levelled.TotalFlow);
        }
        var second = new FlowScheduler(p, totals, needWp);
        second.FillFirstByLaxity(order, 0);
        second.Solve(order);
        return second.TotalFlow == first.TotalFlow ? (second.Flow, second.TotalFlow) : (first.Flow, first.TotalFlow);
    }
}
