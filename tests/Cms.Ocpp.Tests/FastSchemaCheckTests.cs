using Cms.Ocpp.Schemas;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;

namespace Cms.Ocpp.Tests;

/// <summary>The compiled checks never accept what NJsonSchema refuses, and they cover the shipped schemas.</summary>
public class FastSchemaCheckTests
{
    static readonly System.Reflection.Assembly Ocpp = typeof(SchemaValidator).Assembly;

    static string Schema(string resource)
    {
        using var reader = new StreamReader(Ocpp.GetManifestResourceStream(resource)!);
        return reader.ReadToEnd();
    }

    [Fact]
    public void Every_shipped_schema_compiles_into_a_fast_check_except_those_with_uris()
    {
        var resources = Ocpp.GetManifestResourceNames().Where(n => n.StartsWith("Schemas/", StringComparison.Ordinal)).ToList();
        Assert.True(resources.Count > 200);
        var notCompiled = resources.Where(r => FastSchemaCheck.TryCompile(JObject.Parse(Schema(r))) is null).ToList();
        // "format": "uri" is left to NJsonSchema (two CSMS→charger calls: GetDiagnostics, UpdateFirmware).
        Assert.All(notCompiled, r => Assert.Contains("\"uri\"", Schema(r)));
        Assert.True(notCompiled.Count <= 2);
    }

    [Theory]
    [InlineData("""{"connectorId":1,"transactionId":7,"meterValue":[{"timestamp":"2026-01-01T00:00:00.000Z","sampledValue":[{"value":"7000","measurand":"Power.Active.Import","unit":"W"}]}]}""", true)]
    [InlineData("""{"connectorId":1,"meterValue":[{"timestamp":"2026-01-01 00:00:00","sampledValue":[{"value":"1"}]}]}""", true)]
    [InlineData("""{"connectorId":1,"meterValue":[{"timestamp":"yesterday","sampledValue":[{"value":"1"}]}]}""", false)]
    [InlineData("""{"connectorId":1,"meterValue":[{"timestamp":"2026-01-01T00:00:00Z","sampledValue":[{"value":"1","unit":"Volt"}]}]}""", false)]
    [InlineData("""{"connectorId":1,"meterValue":[{"timestamp":"2026-01-01T00:00:00Z","sampledValue":[{"value":1}]}]}""", false)]
    [InlineData("""{"connectorId":1,"meterValue":[{"timestamp":"2026-01-01T00:00:00Z","sampledValue":[]}]}""", true)]
    [InlineData("""{"connectorId":1,"meterValue":[{"timestamp":"2026-01-01T00:00:00Z","sampledValue":[{"value":"1"}],"extra":1}]}""", false)]
    [InlineData("""{"connectorId":"1","meterValue":[]}""", false)]
    [InlineData("""{"meterValue":[]}""", false)]
    [InlineData("""{"connectorId":null,"meterValue":[]}""", false)]
    public void Agrees_with_NJsonSchema_on_MeterValues(string payload, bool valid) => Agrees(valid, "Schemas/ocpp1.6/MeterValues.req.json", payload);

    [Theory]
    [InlineData("""{"connectorId":1,"csChargingProfiles":{"chargingProfileId":1,"stackLevel":0,"chargingProfilePurpose":"TxProfile","chargingProfileKind":"Absolute","chargingSchedule":{"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":16.3}]}}}""", true)]
    [InlineData("""{"connectorId":1,"csChargingProfiles":{"chargingProfileId":1,"stackLevel":0,"chargingProfilePurpose":"TxProfile","chargingProfileKind":"Absolute","chargingSchedule":{"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":16.35}]}}}""", false)]
    public void Agrees_with_NJsonSchema_on_multipleOf(string payload, bool valid) => Agrees(valid, "Schemas/ocpp1.6/SetChargingProfile.req.json", payload);

    [Theory]
    [InlineData("""{"reason":"PowerUp","chargingStation":{"model":"M","vendorName":"V"}}""", true)]
    [InlineData("""{"reason":"PowerUp","chargingStation":{"model":"M","vendorName":"this vendor name is far too long for the fifty characters allowed"}}""", false)]
    [InlineData("""{"reason":"Sleeping","chargingStation":{"model":"M","vendorName":"V"}}""", false)]
    public void Agrees_with_NJsonSchema_through_definitions(string payload, bool valid) => Agrees(valid, "Schemas/ocpp2.0.1/BootNotificationRequest.json", payload);

    [Fact]
    public void Answers_an_everyday_meter_reading_itself()
    {
        var fast = FastSchemaCheck.TryCompile(JObject.Parse(Schema("Schemas/ocpp1.6/MeterValues.req.json")))!;
        Assert.True(fast(Parse("""{"connectorId":1,"transactionId":7,"meterValue":[{"timestamp":"2026-01-01T00:00:00.000Z","sampledValue":[{"value":"7000","measurand":"Power.Active.Import","unit":"W"}]}]}""")));
    }

    [Fact]
    public void Answers_a_delivered_1_6_profile_itself_with_the_limits_written_as_before()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        double[] limits = [7386.7, 16.0, 0.1, 22080];
        var payload = Cms.Ocpp.V16.SetChargingProfile16.Payload(new Cms.Core.Domain.Delivery.ChargingProfileRequest(1, 1001, "TxProfile", 0, 7, "W",
            start, start.AddHours(1), limits.Select((kw, k) => new Cms.Core.Domain.Delivery.SchedulePeriod(k * 900, kw, null)).ToList()));
        var fast = FastSchemaCheck.TryCompile(JObject.Parse(Schema("Schemas/ocpp1.6/SetChargingProfile.req.json")))!;
        // A delivery run checks one of these per charger: the compiled check must answer it, not NJsonSchema (~1 ms each).
        Assert.True(fast(payload));
        // On the wire the decimals read as the doubles did.
        var written = payload["csChargingProfiles"]!["chargingSchedule"]!["chargingSchedulePeriod"]!.Select(p => p["limit"]!.ToString(Formatting.None));
        Assert.Equal(limits.Select(l => new JValue(l).ToString(Formatting.None)), written);
    }

    static JToken Parse(string payload)
    {
        // As frames are parsed: dates stay strings, floats are decimals.
        using var reader = new JsonTextReader(new StringReader(payload)) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Decimal };
        return JToken.ReadFrom(reader);
    }

    static void Agrees(bool valid, string resource, string payload)
    {
        var text = Schema(resource);
        var fast = FastSchemaCheck.TryCompile(JObject.Parse(text))!;
        var token = Parse(payload);
        Assert.Equal(valid, JsonSchema.FromJsonAsync(text).GetAwaiter().GetResult().Validate(token).Count == 0);
        // Never more lenient than NJsonSchema: when unsure it says no, and the validator asks NJsonSchema.
        if (!valid) Assert.False(fast(token));
    }
}
