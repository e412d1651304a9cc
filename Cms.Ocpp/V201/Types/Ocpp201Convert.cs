using System.Globalization;
using Cms.Core.Domain.IdTags;
using Cms.Core.Domain.MeterValues;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.V201.Types;

/// <summary>2.0.1 shapes ↔ Core's protocol-neutral ones.</summary>
public static class Ocpp201Convert
{
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Core's idTag verdict as 2.0.1 idTokenInfo: the parent idTag becomes the group token, the expiry the cache expiry.</summary>
    public static IdTokenInfoType IdTokenInfo(IdTagVerdict verdict) => new()
    {
        Status = verdict.Status.ToString(),
        CacheExpiryDateTime = verdict.ExpiryDate is { } expiry ? Time(expiry) : null,
        GroupIdToken = verdict.ParentIdTag is { } parent ? new IdTokenType { IdToken = parent, Type = "Central" } : null,
    };

    /// <summary>
    /// 2.0.1 meter values in Core's meterValue shape: value × 10^multiplier as text, the unit kept. Samples Core has no
    /// measurand or unit for (Energy.Active.Net, kvarh registers…) stay only in the message log.
    /// </summary>
    public static JArray MeterValues(IEnumerable<MeterValueType>? meterValues)
    {
        var result = new JArray();
        foreach (var mv in meterValues ?? [])
        {
            var samples = new JArray();
            foreach (var sv in mv.SampledValue)
            {
                var measurand = sv.Measurand ?? Measurands.DefaultMeasurand;
                if (!Measurands.Units.TryGetValue(measurand, out var units)) continue;
                // Without a unit the measurand's base unit is meant (W, Wh, A, V, Percent).
                string? unit = null;
                if (units.Length > 0)
                {
                    unit = sv.UnitOfMeasure?.Unit ?? units[0];
                    if (!units.Contains(unit)) continue;
                }
                var value = sv.Value * Math.Pow(10, sv.UnitOfMeasure?.Multiplier ?? 0);
                var sample = new JObject { ["value"] = value.ToString("R", CultureInfo.InvariantCulture), ["measurand"] = measurand };
                if (unit is not null) sample["unit"] = unit;
                if (sv.Context is not null) sample["context"] = sv.Context;
                if (sv.Phase is not null) sample["phase"] = sv.Phase;
                if (sv.Location is not null) sample["location"] = sv.Location;
                samples.Add(sample);
            }
            if (samples.Count > 0) result.Add(new JObject { ["timestamp"] = Time(mv.Timestamp), ["sampledValue"] = samples });
        }
        return result;
    }
}
