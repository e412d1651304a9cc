using Cms.Optimizer;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Optimizations;

/// <summary>
/// How a run went, for the operator: the input and plan (to measure the gap to the snapshot's optimum), its time,
/// whether it is the guard's fallback, and which defaults stood in for unknown needs or departures.
/// </summary>
public sealed record RunReport(OptimizationInput Input, OptimizationResult Result, TimeSpan Elapsed, string? FallbackReason,
    IReadOnlyList<JObject> Defaults)
{
    /// <summary>
    /// The details stored with the optimization event. The optimum is the snapshot's exact max energy (fleet: the flow
    /// bound of the run itself; otherwise one max-flow, computed here, after delivery, off the chargers' path).
    /// </summary>
    public JObject Details()
    {
        double planned = Result.Schedules.Sum(s => Math.Max(0, s.PlannedEnergyKwh));
        double optimum = Input.Objective == Objective.Fleet && FallbackReason is null
            ? Result.UpperBoundEnergyKwh
            : SnapshotOptimum.EnergyKwh(Input);
        return new JObject
        {
            ["plannedEnergyKwh"] = Math.Round(planned, 3),
            ["optimumEnergyKwh"] = Math.Round(optimum, 3),
            ["optimalityGapPct"] = Math.Round(SnapshotOptimum.GapPct(optimum, Result), 3),
            ["runMs"] = Math.Round(Elapsed.TotalMilliseconds, 1),
            ["fallback"] = FallbackReason is not null,
            ["fallbackReason"] = FallbackReason,
            ["defaults"] = new JArray(Defaults),
            ["needsFromHistory"] = Input.Network.NeedsFromHistory,
            ["peakHintKw"] = Input.Network.MinimizePeak ? Math.Round(Input.Network.PeakSoFarKw, 3) : null,
        };
    }
}
