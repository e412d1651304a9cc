using Cms.Optimizer.Internal;

namespace Cms.Optimizer;

/// <summary>
/// The most energy (kWh) this snapshot allows, charging only, before minimum load and step: one exact max-flow.
/// Compared with a plan's energy it tells an operator how far the plan is from the snapshot's optimum.
/// </summary>
public static class SnapshotOptimum
{
    public static double EnergyKwh(OptimizationInput input)
    {
        InputValidator.Validate(input);
        var p = Problem.From(input);
        var avail = (long[])p.AvailW.Clone();
        for (int t = 0; t < p.T; t++)
            if (input.Objective == Objective.VehicleToGrid && p.ExportW[t] > 0) avail[t] = 0;
        var flow = new FlowScheduler(p, avail, p.NeedWp);
        flow.Solve(PhaseOrder.From(p));
        return flow.TotalFlow * p.Hours / 1000;
    }

    /// <summary>Gap in % of the optimum (0 when the optimum is 0); the plan's net energy for V2G is charge − discharge.</summary>
    public static double GapPct(double optimumKwh, OptimizationResult plan)
    {
        if (optimumKwh <= 1e-9) return 0;
        double planned = plan.Schedules.Sum(s => Math.Max(0, s.PlannedEnergyKwh));
        return Math.Max(0, 100 * (optimumKwh - planned) / optimumKwh);
    }
}
