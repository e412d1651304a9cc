using System.Globalization;
using Cms.Core.Domain.Delivery;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.V16;

/// <summary>OCPP 1.6 SetChargingProfile.req for a Core profile request.</summary>
public static class SetChargingProfile16
{
    public static JObject Payload(ChargingProfileRequest r)
    {
        var profile = new JObject
        {
            ["chargingProfileId"] = r.ChargingProfileId,
            ["stackLevel"] = r.StackLevel,
            ["chargingProfilePurpose"] = r.Purpose,
            ["chargingProfileKind"] = "Absolute",
            ["validFrom"] = Time(r.ValidFrom),
            ["validTo"] = Time(r.ValidTo),
            ["chargingSchedule"] = new JObject
            {
                ["duration"] = r.DurationSeconds,
                ["startSchedule"] = Time(r.ValidFrom),
                ["chargingRateUnit"] = r.Unit,
                ["chargingSchedulePeriod"] = new JArray(r.Periods.Select(p =>
                {
                    var period = new JObject { ["startPeriod"] = p.StartSeconds, ["limit"] = Limit(p.Limit) };
                    if (p.NumberPhases is { } phases) period["numberPhases"] = phases;
                    return period;
                })),
            },
        };
        if (r.TransactionId is { } transactionId) profile["transactionId"] = transactionId;
        return new JObject { ["connectorId"] = r.ConnectorNumber, ["csChargingProfiles"] = profile };
    }

    /// <summary>
    /// The schema wants a multiple of 0.1: as a decimal the limit is checked exactly by the compiled schema check, where
    /// a double is left to NJsonSchema (about 1 ms for a 96-period profile, for every charger of every delivery run).
    /// The text on the wire is the same either way ("7386.7", "16.0").
    /// </summary>
    static decimal Limit(double limit) => (decimal)limit;

    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>1.6 answers Accepted, Rejected or NotSupported.</summary>
    public static bool Accepted(JObject? answer) => (string?)answer?["status"] == "Accepted";
}
