namespace Cms.Optimizer;

/// <summary>
/// Network-level limits over the planning horizon. All per-period arrays have <see cref="Periods"/> entries.
/// Available capacity in period t = GridLimitKw[t]*(1-BufferFraction) - Baseload[t] + Solar[t] - ReservedKw, floored at 0.
/// </summary>
public sealed record NetworkLimits
{
    public required int Periods { get; init; }

    public double PeriodHours { get; init; } = 0.25;

    /// <summary>maxCapacity per period, capacity intervals and DR "Load Amount" already applied by the caller.</summary>
    public required double[] GridLimitKw { get; init; }

    /// <summary>maxCapacityBuffer / 100.</summary>
    public double BufferFraction { get; init; }

    public double[]? BaseloadKw { get; init; }

    public double[]? SolarKw { get; init; }

    /// <summary>Energy price per period (any currency per kWh); only the fleet and V2G objectives use it.</summary>
    public double[]? Price { get; init; }

    /// <summary>Power kept free for idle connectors, already summed by the caller.</summary>
    public double ReservedKw { get; init; }

    /// <summary>During a V2G DR event the network should export at least this much (kW, positive number).</summary>
    public double[]? V2gExportKw { get; init; }

    /// <summary>
    /// Fleet without prices: among the energy-optimal plans, the one with the lowest grid import peak. Off by default:
    /// on a congested site, flattening the present cars' plan leaves power unused that later arrivals needed (Caltech
    /// at 20 kW: 93.5 % of the clairvoyant energy with it, 99.9 % without); worth it where there is room to spare.
    /// </summary>
    public bool MinimizePeak { get; init; }

    /// <summary>
    /// The highest grid import (charging + baseload − solar, kW) already reached in the current billing period. With
    /// <see cref="MinimizePeak"/> the plan never aims below it: power up to a peak already paid for is better used now.
    /// </summary>
    public double PeakSoFarKw { get; init; }

    /// <summary>
    /// The caller filled unknown energy needs and departures with defaults learned from the site's own history (it has
    /// usable history). Load sharing then plans every session max-min fair over the horizon, as when needs are told; a
    /// session whose need is still unknown (beyond anything seen) asks for what it could take before it leaves. False:
    /// an unknown need means the per-period split (no history to plan with).
    /// </summary>
    public bool NeedsFromHistory { get; init; }

    /// <summary>connectorMinimumLoad: a positive limit is never below this.</summary>
    public double MinimumLoadKw { get; init; }

    /// <summary>connectorPowerStep: limits are multiples of this (0 = none). Must be a multiple of 0.001 kW.</summary>
    public double PowerStepKw { get; init; }
}
