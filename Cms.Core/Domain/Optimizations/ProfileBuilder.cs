using Cms.Core.Domain.Planning;
using Cms.Core.Resources;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Optimizations;

/// <summary>
/// Shapes one session's schedule (kW per 15-minute period) as the spec's optimization: an OCPP ChargingProfile
/// (Absolute, TxProfile, periods in seconds) in the session's chargingRateUnit, and a time/value profile in kW.
/// </summary>
public static class ProfileBuilder
{
    /// <summary>Stable per session, so each new profile replaces the last one on the charger.</summary>
    public static int ChargingProfileId(string sessionId)
    {
        var bytes = Guid.Parse(sessionId).ToByteArray();
        return (int)(BitConverter.ToUInt32(bytes, 0) % 1_000_000_000) + 1;
    }

    /// <summary>kW into the requested unit, floored to the 0.1 resolution OCPP limits have (never above the plan).</summary>
    public static double Convert(PlanningSession session, double kw, string unit)
    {
        var value = unit switch
        {
            "W" => kw * 1000,
            "A" => session.KwToAmps(kw),
            _ => kw,
        };
        return Math.Floor(value * 10 + 1e-9) / 10;
    }

    public static JObject ChargingProfile(PlanningSession session, double[] limitsKw, DateTimeOffset start, TimeSpan period, string unit)
    {
        var periods = new JArray();
        for (var k = 0; k < limitsKw.Length; k++)
            periods.Add(new JObject { ["limit"] = Convert(session, limitsKw[k], unit), ["startPeriod"] = k * period.TotalSeconds });
        var duration = limitsKw.Length * period.TotalSeconds;
        return new JObject
        {
            ["chargingProfileId"] = ChargingProfileId(session.Id),
            ["chargingProfileKind"] = "Absolute",
            ["chargingProfilePurpose"] = "TxProfile",
            ["chargingSchedule"] = new JObject
            {
                ["chargingRateUnit"] = unit,
                ["chargingSchedulePeriod"] = periods,
                ["duration"] = duration,
            },
            ["stackLevel"] = 0.0,
            ["transactionId"] = session.TransactionId,
            ["validFrom"] = Iso.Format(start),
            ["validTo"] = Iso.Format(start + limitsKw.Length * period),
        };
    }

    public static JObject TimeSeries(double[] limitsKw, DateTimeOffset start, TimeSpan period) => new()
    {
        ["start"] = Iso.Format(start),
        ["stop"] = Iso.Format(start + limitsKw.Length * period),
        ["unit"] = "kW",
        ["data"] = new JArray(limitsKw.Select((kw, k) => new JObject
        {
            ["time"] = Iso.Format(start + k * period),
            ["value"] = Math.Round(kw, 3),
        })),
    };
}
