using Cms.Core.Domain.Optimizations;
using Cms.Core.Domain.Planning;
using Cms.Core.Resources;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Tests.Optimizations;

/// <summary>
/// A stored optimization's JSON columns are written straight to text (no JObject per session): the text must be what
/// the JObject of the same properties, in the same order and with the same value types, serializes to, as stored before.
/// </summary>
public sealed class ProfileJsonTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 8, 15, 0, TimeSpan.Zero);
    private static readonly TimeSpan Q = TimeSpan.FromMinutes(15);

    public static TheoryData<string, long?, double[]> Cases => new()
    {
        { "kW", 17L, [11.0, 7.36, 0.0, 22.0] },
        { "W", null, [4.95, 1e-7, 3.333333] },
        { "A", 2_147_483_648L, [7.3, 11.04] },
        { "kW", 1L, [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_charging_profile_text_is_the_json_of_the_profile_object(string unit, long? transactionId, double[] limitsKw)
    {
        var session = Session(unit, transactionId);
        var periods = new JArray();
        for (var k = 0; k < limitsKw.Length; k++)
            periods.Add(new JObject { ["limit"] = ProfileBuilder.Convert(session, limitsKw[k], unit), ["startPeriod"] = k * Q.TotalSeconds });
        var expected = new JObject
        {
            ["chargingProfileId"] = ProfileBuilder.ChargingProfileId(session.Id),
            ["chargingProfileKind"] = "Absolute",
            ["chargingProfilePurpose"] = "TxProfile",
            ["chargingSchedule"] = new JObject
            {
                ["chargingRateUnit"] = unit,
                ["chargingSchedulePeriod"] = periods,
                ["duration"] = limitsKw.Length * Q.TotalSeconds,
            },
            ["stackLevel"] = 0.0,
            ["transactionId"] = transactionId,
            ["validFrom"] = Iso.Format(Start),
            ["validTo"] = Iso.Format(Start + limitsKw.Length * Q),
        };

        var text = ProfileBuilder.ChargingProfileJson(session, limitsKw, Start, Q, unit);

        Assert.Equal(expected.ToString(Formatting.None), text);
        Assert.Contains("\"stackLevel\":0.0", text); // a double, as stored before
        Assert.Equal(Iso.Format(Start + limitsKw.Length * Q), ProfileBuilder.ValidTo(limitsKw, Start, Q));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_time_series_text_is_the_json_of_the_series_object(string unit, long? transactionId, double[] limitsKw)
    {
        _ = (unit, transactionId);
        var expected = new JObject
        {
            ["start"] = Iso.Format(Start),
            ["stop"] = Iso.Format(Start + limitsKw.Length * Q),
            ["unit"] = "kW",
            ["data"] = new JArray(limitsKw.Select((kw, k) => new JObject { ["time"] = Iso.Format(Start + k * Q), ["value"] = Math.Round(kw, 3) })),
        };

        Assert.Equal(expected.ToString(Formatting.None), ProfileBuilder.TimeSeriesJson(limitsKw, Start, Q));
    }

    private static PlanningSession Session(string unit, long? transactionId) =>
        new("5b0c3f1e-8f0a-4c7e-9d59-3f3c1c2b9a01", "cp", "connector", 1, transactionId, unit, unit == "A" ? "AC" : "DC", 230, 0.95, 22, 3,
            null, null, null, false);
}
