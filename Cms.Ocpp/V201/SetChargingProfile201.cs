using Cms.Core.Domain.Delivery;
using Cms.Ocpp.V16;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.V201;

/// <summary>OCPP 2.0.1 SetChargingProfileRequest for a Core profile request (EVSE = connector number, transaction id as text).</summary>
public static class SetChargingProfile201
{
    public static JObject Payload(ChargingProfileRequest r)
    {
        var profile = new JObject
        {
            ["id"] = r.ChargingProfileId,
            ["stackLevel"] = r.StackLevel,
            ["chargingProfilePurpose"] = r.Purpose,
            ["chargingProfileKind"] = "Absolute",
            ["validFrom"] = SetChargingProfile16.Time(r.ValidFrom),
            ["validTo"] = SetChargingProfile16.Time(r.ValidTo),
            ["chargingSchedule"] = new JArray(new JObject
            {
                ["id"] = r.ChargingProfileId,
                ["duration"] = r.DurationSeconds,
                ["startSchedule"] = SetChargingProfile16.Time(r.ValidFrom),
                ["chargingRateUnit"] = r.Unit,
                ["chargingSchedulePeriod"] = new JArray(r.Periods.Select(p =>
                {
                    var period = new JObject { ["startPeriod"] = p.StartSeconds, ["limit"] = p.Limit };
                    if (p.NumberPhases is { } phases) period["numberPhases"] = phases;
                    return period;
                })),
            }),
        };
        if (r.TransactionId is { } transactionId) profile["transactionId"] = transactionId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new JObject { ["evseId"] = r.ConnectorNumber, ["chargingProfile"] = profile };
    }
}
