namespace Cms.Optimizer;

/// <summary>An active charging session as the optimizer sees it. Period indices are relative to the horizon start.</summary>
public sealed record SessionInput
{
    public required string Id { get; init; }

    public required string ChargePointId { get; init; }

    /// <summary>min(connector max, vehicle max, per-session max); computed by the caller.</summary>
    public required double MaxKw { get; init; }

    /// <summary>0..5. 0 = opt-out (served its maximum first); otherwise a lower number gets more power.</summary>
    public int Priority { get; init; } = 3;

    /// <summary>Energy still wanted in kWh; null = unlimited.</summary>
    public double? EnergyNeedKwh { get; init; }

    /// <summary>Energy already charged in this session (kWh); with EnergyNeedKwh it makes what the car asked for, so
    /// load sharing can be fair in served fraction across reoptimizations. Null = 0.</summary>
    public double? DeliveredKwh { get; init; }

    /// <summary>Index of the first period the car is gone; null = stays the whole horizon.</summary>
    public int? DeparturePeriod { get; init; }

    /// <summary>Live draw (only when optimizeWithMeterValue is on). A car drawing clearly below its limit is capped near it.</summary>
    public double? MeasuredKw { get; init; }

    /// <summary>The limit the car had when <see cref="MeasuredKw"/> was read, when the caller knows it. A car drawing
    /// (within 10 %) what it was offered is not slow, only held back: its draw then caps nothing. Null = unknown (the
    /// draw is compared with <see cref="MaxKw"/> alone).</summary>
    public double? OfferedKw { get; init; }

    /// <summary>V2G: the most the car may discharge (kW, &gt;= 0).</summary>
    public double MaxDischargeKw { get; init; }

    /// <summary>vehicleGroupPriority rank: a lower value is served earlier by the fleet objective.</summary>
    public int GroupPriority { get; init; }

    /// <summary>The session's limits in the previous schedule, aligned to this horizon (index 0 = the current period).
    /// Used only to rotate which sessions are left at 0 when not all can get the minimum load.</summary>
    public double[]? PreviousLimitsKw { get; init; }
}
