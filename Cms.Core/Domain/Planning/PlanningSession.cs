namespace Cms.Core.Domain.Planning;

/// <summary>An open session with what planning and delivery need to know about its connector, charger and vehicle.</summary>
public sealed record PlanningSession(
    string Id, string ChargePointId, string ConnectorId, int ConnectorNumber, long? TransactionId,
    string ChargingRateUnit, string CurrentType, double Voltage, double PowerFactor, double MaxKw,
    int Priority, double? EnergyNeedKwh, DateTimeOffset? Departure, double? MeasuredKw, bool HasVehicle)
{
    /// <summary>Energy charged so far in this session (kWh).</summary>
    public double DeliveredKwh { get; init; }

    public string? IdTag { get; init; }

    public string? VehicleId { get; init; }

    public DateTimeOffset? SessionStart { get; init; }

    /// <summary>When <see cref="MeasuredKw"/> was read (the meter value's timestamp).</summary>
    public DateTimeOffset? MeasuredAt { get; init; }

    /// <summary>The limit the car had at <see cref="MeasuredAt"/>, when the last plan tells it (set by NetworkOptimizer).</summary>
    public double? OfferedKw { get; init; }

    /// <summary>kW → A for this connector: P[kW] = PCF × PF × I[A] × V / 1000 (DESIGN.md).</summary>
    public double KwToAmps(double kw) => kw * 1000.0 / (PowerConversionFactor(CurrentType) * PowerFactor * Voltage);

    public static double PowerConversionFactor(string currentType) => currentType switch
    {
        "AC_phase3_LL" => Math.Sqrt(3),
        "AC_phase3_LN" => 3,
        _ => 1, // DC, AC_phase1
    };

    public int Phases => CurrentType is "AC_phase3_LL" or "AC_phase3_LN" ? 3 : 1;
}
