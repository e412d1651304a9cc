using Cms.Optimizer.Internal;

namespace Cms.Optimizer;

/// <summary>
/// The smart-charging optimizer: a pure function from network limits, sessions and objective to one schedule of
/// periods per session. No I/O, no clock, no randomness; ties are broken by session Id (ordinal).
/// </summary>
public static class SmartChargingOptimizer
{
    public static OptimizationResult Optimize(OptimizationInput input)
    {
        InputValidator.Validate(input);
        var p = Problem.From(input);
        switch (input.Objective)
        {
            case Objective.Off:
                return new OptimizationResult([], p.AvailableKw, 0, []);
            case Objective.LoadSharing:
            {
                if (FairHorizonPlanner.Applies(p, input.Network.NeedsFromHistory))
                    return ResultBuilder.Build(p, FairHorizonPlanner.Plan(p), null, null, LoadSharingBound(p));
                var planner = new LoadSharingPlanner(p);
                var led = planner.Plan();
                return ResultBuilder.Build(p, led, null, planner.Dropped, LoadSharingBound(p));
            }
            case Objective.Fleet:
            {
                var order = PhaseOrder.From(p);
                var (flow, total) = FleetPlanner.Solve(p, p.AvailW, p.NeedWp, order, out bool fair);
                var avail = p.AvailW;
                if (p.Price is null && input.Network.MinimizePeak)
                {
                    // No prices: among the energy-optimal plans, the lowest peak.
                    avail = PeakShaver.CappedAvailability(p, p.AvailW, p.NeedWp, order, total);
                    if (avail != p.AvailW) (flow, _) = FleetPlanner.Solve(p, avail, p.NeedWp, order, out fair);
                }
                // Power that rounding frees goes to the lowest served fractions first when the plan is levelled.
                var led = FleetRounder.Round(p, flow, avail, p.NeedWp, fair ? FleetFairness.ByServedFraction(p, flow, order) : order, nearFlowFirst: fair);
                return ResultBuilder.Build(p, led, null, null, total * p.Hours / 1000);
            }
            case Objective.VehicleToGrid:
            {
                var discharge = V2gPlanner.PlanDischarge(p);
                var avail = (long[])p.AvailW.Clone();
                var need = (long[])p.NeedWp.Clone();
                for (int t = 0; t < p.T; t++)
                    if (p.ExportW[t] > 0) avail[t] = 0;
                for (int i = 0; i < p.N; i++)
                {
                    if (need[i] == Problem.Unlimited) continue;
                    for (int t = 0; t < p.T; t++) need[i] += discharge[i * p.T + t];
                }
                var order = PhaseOrder.From(p);
                var (flow, total) = FleetPlanner.Solve(p, avail, need, order);
                var led = FleetRounder.Round(p, flow, avail, need, order);
                return ResultBuilder.Build(p, led, discharge, null, total * p.Hours / 1000);
            }
            default:
                throw new ArgumentException("Unknown objective.", nameof(input));
        }
    }

    /// <summary>Cheap bound for load sharing: neither more than the network offers nor more than the cars can take.</summary>
    private static double LoadSharingBound(Problem p)
    {
        double network = p.AvailW.Sum();
        double cars = 0;
        for (int i = 0; i < p.N; i++) cars += Math.Min((double)p.NeedWp[i], (double)p.CapW[i] * p.Dep[i]);
        return Math.Min(network, cars) * p.Hours / 1000;
    }
}
