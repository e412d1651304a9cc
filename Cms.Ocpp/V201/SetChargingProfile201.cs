using Cms.Core.Domain.Delivery;
using Cms.Ocpp.V201.Types;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.V201;

/// <summary>
/// OCPP 2.0.1 SetChargingProfileRequest for a Core profile request: the EVSE is AmpCMS's connector number, and a
/// TxProfile names the station's own transaction id. A session the station never reported a transaction for (opened
/// from REST or from meter values) has none to name, so its limit goes out as the EVSE's TxDefaultProfile.
/// </summary>
public static class SetChargingProfile201
{
    public static JObject Payload(ChargingProfileRequest r, string? stationTransactionId)
    {
        var txProfile = r.Purpose == "TxProfile" && stationTransactionId is not null;
        var profile = new JObject
        {
            ["id"] = r.ChargingProfileId,
            ["stackLevel"] = r.StackLevel,
            ["chargingProfilePurpose"] = txProfile || r.Purpose != "TxProfile" ? r.Purpose : "TxDefaultProfile",
            ["chargingProfileKind"] = "Absolute",
            ["validFrom"] = Ocpp201Convert.Time(r.ValidFrom),
            ["validTo"] = Ocpp201Convert.Time(r.ValidTo),
            ["chargingSchedule"] = new JArray(new JObject
            {
                ["id"] = r.ChargingProfileId,
                ["duration"] = r.DurationSeconds,
                ["startSchedule"] = Ocpp201Convert.Time(r.ValidFrom),
                ["chargingRateUnit"] = r.Unit,
                ["chargingSchedulePeriod"] = new JArray(r.Periods.Select(p =>
                {
                    var period = new JObject { ["startPeriod"] = p.StartSeconds, ["limit"] = p.Limit };
                    if (p.NumberPhases is { } phases) period["numberPhases"] = phases;
                    return period;
                })),
            }),
        };
        if (txProfile) profile["transactionId"] = stationTransactionId;
        return new JObject { ["evseId"] = r.ConnectorNumber, ["chargingProfile"] = profile };
    }
}
