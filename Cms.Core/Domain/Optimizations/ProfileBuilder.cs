using System.Globalization;
using System.Text;
using Cms.Core.Domain.Planning;
using Cms.Core.Resources;
using Newtonsoft.Json;

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

    /// <summary>
    /// The session's OCPP ChargingProfile as JSON text (a stored optimization's csChargingProfiles), written straight to
    /// text: a 1,000-session run built it as 1,000 JObject trees first, ~25 MB of garbage per run on the loop's machine.
    /// Same text as the JObject of the same properties and value types (double limits, periods, duration and stackLevel).
    /// </summary>
    public static string ChargingProfileJson(PlanningSession session, double[] limitsKw, DateTimeOffset start, TimeSpan period, string unit)
    {
        using var text = new StringWriter(new StringBuilder(320 + 48 * limitsKw.Length), CultureInfo.InvariantCulture);
        using (var json = new JsonTextWriter(text))
        {
            json.WriteStartObject();
            json.WritePropertyName("chargingProfileId"); json.WriteValue(ChargingProfileId(session.Id));
            json.WritePropertyName("chargingProfileKind"); json.WriteValue("Absolute");
            json.WritePropertyName("chargingProfilePurpose"); json.WriteValue("TxProfile");
            json.WritePropertyName("chargingSchedule");
            json.WriteStartObject();
            json.WritePropertyName("chargingRateUnit"); json.WriteValue(unit);
            json.WritePropertyName("chargingSchedulePeriod");
            json.WriteStartArray();
            for (var k = 0; k < limitsKw.Length; k++)
            {
                json.WriteStartObject();
                json.WritePropertyName("limit"); json.WriteValue(Convert(session, limitsKw[k], unit));
                json.WritePropertyName("startPeriod"); json.WriteValue(k * period.TotalSeconds);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WritePropertyName("duration"); json.WriteValue(limitsKw.Length * period.TotalSeconds);
            json.WriteEndObject();
            json.WritePropertyName("stackLevel"); json.WriteValue(0.0);
            json.WritePropertyName("transactionId"); json.WriteValue(session.TransactionId);
            json.WritePropertyName("validFrom"); json.WriteValue(Iso.Format(start));
            json.WritePropertyName("validTo"); json.WriteValue(ValidTo(limitsKw, start, period));
            json.WriteEndObject();
        }
        return text.ToString();
    }

    /// <summary>When a profile of these limits ends: after its last period.</summary>
    public static string ValidTo(double[] limitsKw, DateTimeOffset start, TimeSpan period) => Iso.Format(start + limitsKw.Length * period);

    /// <summary>The schedule as a time/value profile in kW (a stored optimization's profile), as JSON text (see <see cref="ChargingProfileJson"/>).</summary>
    public static string TimeSeriesJson(double[] limitsKw, DateTimeOffset start, TimeSpan period)
    {
        using var text = new StringWriter(new StringBuilder(128 + 72 * limitsKw.Length), CultureInfo.InvariantCulture);
        using (var json = new JsonTextWriter(text))
        {
            json.WriteStartObject();
            json.WritePropertyName("start"); json.WriteValue(Iso.Format(start));
            json.WritePropertyName("stop"); json.WriteValue(ValidTo(limitsKw, start, period));
            json.WritePropertyName("unit"); json.WriteValue("kW");
            json.WritePropertyName("data");
            json.WriteStartArray();
            for (var k = 0; k < limitsKw.Length; k++)
            {
                json.WriteStartObject();
                json.WritePropertyName("time"); json.WriteValue(Iso.Format(start + k * period));
                json.WritePropertyName("value"); json.WriteValue(Math.Round(limitsKw[k], 3));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return text.ToString();
    }
}
