using Cms.Core.Domain.Delivery;
using Cms.Core.Domain.IdTags;
using Cms.Ocpp.V201;
using Cms.Ocpp.V201.Types;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Tests;

/// <summary>2.0.1 shapes to Core's and back: meter values, idTokenInfo, SetChargingProfile.</summary>
public sealed class Ocpp201ConvertTests
{
    private static readonly DateTimeOffset At = new(2031, 5, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Meter_values_take_the_multiplier_keep_known_units_and_drop_what_core_cannot_store()
    {
        var converted = Ocpp201Convert.MeterValues(
        [
            new MeterValueType
            {
                Timestamp = At,
                SampledValue =
                [
                    new SampledValueType { Value = 7.4, Measurand = "Power.Active.Import", UnitOfMeasure = new UnitOfMeasureType { Unit = "W", Multiplier = 3 } },
                    new SampledValueType { Value = 1500, Context = "Transaction.Begin" }, // default measurand, default unit Wh
                    new SampledValueType { Value = 3, Measurand = "Energy.Active.Net" },   // no such measurand in Core
                    new SampledValueType { Value = 230, Measurand = "Voltage", Phase = "L1-N", Location = "Outlet", UnitOfMeasure = new UnitOfMeasureType { Unit = "kV" } },
                    new SampledValueType { Value = 55, Measurand = "SoC", Location = "EV" },
                ],
            },
            new MeterValueType { Timestamp = At, SampledValue = [new SampledValueType { Value = 1, Measurand = "Energy.Apparent.Net" }] },
        ]);
        var samples = Assert.Single(converted)["sampledValue"]!.Cast<JObject>().ToList();
        Assert.Equal(3, samples.Count);
        Assert.Equal(("7400", "W"), ((string?)samples[0]["value"], (string?)samples[0]["unit"]));
        Assert.Equal(("1500", "Energy.Active.Import.Register", "Wh", "Transaction.Begin"),
            ((string?)samples[1]["value"], (string?)samples[1]["measurand"], (string?)samples[1]["unit"], (string?)samples[1]["context"]));
        Assert.Equal(("55", "Percent", "EV"), ((string?)samples[2]["value"], (string?)samples[2]["unit"], (string?)samples[2]["location"]));
    }

    [Fact]
    public void An_id_tag_verdict_becomes_id_token_info_with_group_and_cache_expiry()
    {
        var info = Ocpp201Convert.IdTokenInfo(new IdTagVerdict(IdTagStatus.Blocked, ParentIdTag: "FLEET", ExpiryDate: At));
        Assert.Equal("Blocked", info.Status);
        Assert.Equal("2031-05-01T00:00:00.000Z", info.CacheExpiryDateTime);
        Assert.Equal(("FLEET", "Central"), (info.GroupIdToken!.IdToken, info.GroupIdToken.Type));
    }

    private static ChargingProfileRequest Profile(string purpose, long? transactionId) =>
        new(2, 77, purpose, 1, transactionId, "A", At, At.AddHours(1), [new SchedulePeriod(0, 16, 3), new SchedulePeriod(900, 10, 3)]);

    [Fact]
    public void A_tx_profile_names_the_stations_transaction_on_its_evse()
    {
        var payload = SetChargingProfile201.Payload(Profile("TxProfile", 5), "station-tx-9");
        Assert.Equal(2, (int)payload["evseId"]!);
        var profile = payload["chargingProfile"]!;
        Assert.Equal(("TxProfile", "station-tx-9", 1), ((string?)profile["chargingProfilePurpose"], (string?)profile["transactionId"], (int)profile["stackLevel"]!));
        var schedule = profile["chargingSchedule"]![0]!;
        Assert.Equal(("A", 3600), ((string?)schedule["chargingRateUnit"], (int)schedule["duration"]!));
        Assert.Equal(3, (int)schedule["chargingSchedulePeriod"]![1]!["numberPhases"]!);
    }

    [Fact]
    public void A_session_without_a_station_transaction_gets_its_limit_as_the_evses_default_profile()
    {
        var profile = SetChargingProfile201.Payload(Profile("TxProfile", 5), stationTransactionId: null)["chargingProfile"]!;
        Assert.Equal("TxDefaultProfile", (string?)profile["chargingProfilePurpose"]);
        Assert.Null(profile["transactionId"]);
        Assert.Equal("TxDefaultProfile", (string?)SetChargingProfile201.Payload(Profile("TxDefaultProfile", null), null)["chargingProfile"]!["chargingProfilePurpose"]);
    }
}
