namespace Cms.Core.Domain.Delivery;

/// <summary>One period of a schedule on the wire: offset from the start in seconds and the limit in the profile's unit.</summary>
public sealed record SchedulePeriod(int StartSeconds, double Limit, int? NumberPhases);

/// <summary>
/// "Deliver this limit" in protocol-neutral terms; the charger's version adapter turns it into its
/// SetChargingProfile. <see cref="TransactionId"/> is set for TxProfile, null for TxDefaultProfile.
/// </summary>
public sealed record ChargingProfileRequest(
    int ConnectorNumber,
    int ChargingProfileId,
    string Purpose,
    int StackLevel,
    long? TransactionId,
    string Unit,
    DateTimeOffset ValidFrom,
    DateTimeOffset ValidTo,
    IReadOnlyList<SchedulePeriod> Periods)
{
    public int DurationSeconds => (int)Math.Round((ValidTo - ValidFrom).TotalSeconds);
}
