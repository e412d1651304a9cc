namespace Cms.Core.Domain.Configurations;

/// <summary>
/// One deliveryOptions preset's settings (spec, Configurations): how a schedule is sent to a charger as
/// SetChargingProfile. <see cref="ChargingRateUnit"/> null means the session's own unit (kW → W on the wire).
/// </summary>
public sealed record DeliverySettings(
    string Name,
    string ChargingProfilePurpose,   // TxProfile | TxDefaultProfile
    int StackLevel,
    bool NumberPhases,
    string? ChargingRateUnit,        // null | W | A (kW is not an OCPP unit)
    string LimitDeliveryType,        // All | Sequential
    bool UseTransactionId,
    bool UseChargingProfileId,
    string ChargingProfileKind)      // Absolute
{
    public static readonly DeliverySettings DefaultTxProfile =
        new("ampcontrol-default-TxProfile", "TxProfile", 2, false, null, "All", true, true, "Absolute");

    public static readonly DeliverySettings DefaultTxDefaultProfile =
        new("ampcontrol-default-TxDefaultProfile", "TxDefaultProfile", 1, false, null, "All", true, true, "Absolute");

    /// <summary>The preset's "timeZone" setting ("utc" in every built-in preset).</summary>
    public string TimeZone { get; init; } = "utc";

    /// <summary>The preset's "timestampsFormat" setting ("default" in every built-in preset).</summary>
    public string TimestampsFormat { get; init; } = "default";
}
