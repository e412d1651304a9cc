using Cms.Ocpp;
using Cms.Ocpp.Schemas;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Tests;

public class SchemaValidatorTests
{
    static readonly SchemaValidator Schemas = new();

    static SchemaValidationResult V16(string action, string json, SchemaKind kind = SchemaKind.Request) =>
        Schemas.Validate(OcppVersion.Ocpp16, action, kind, JObject.Parse(json));

    static SchemaValidationResult V201(string action, string json, SchemaKind kind = SchemaKind.Request) =>
        Schemas.Validate(OcppVersion.Ocpp201, action, kind, JObject.Parse(json));

    [Fact]
    public void Knows_every_shipped_action_and_every_schema_compiles()
    {
        Assert.Equal(39, Schemas.Actions(OcppVersion.Ocpp16).Count());
        Assert.Equal(64, Schemas.Actions(OcppVersion.Ocpp201).Count());
        foreach (var version in new[] { OcppVersion.Ocpp16, OcppVersion.Ocpp201 })
            foreach (var action in Schemas.Actions(version))
                foreach (var kind in new[] { SchemaKind.Request, SchemaKind.Response })
                    Assert.NotEqual(OcppErrorCode.NotImplemented, Schemas.Validate(version, action, kind, new JObject()).ErrorCode);
    }

    [Fact]
    public void Repeated_small_answers_get_the_same_verdict_every_time()
    {
        // Small flat payloads are remembered by their text: the value's JSON type is part of that text.
        for (var i = 0; i < 3; i++)
        {
            Assert.True(V16("SetChargingProfile", """{"status":"Accepted"}""", SchemaKind.Response).IsValid);
            var wrongType = V16("SetChargingProfile", """{"status":1}""", SchemaKind.Response);
            Assert.Equal((false, OcppErrorCode.TypeConstraintViolation), (wrongType.IsValid, wrongType.ErrorCode));
            Assert.False(V16("SetChargingProfile", """{"status":"Maybe"}""", SchemaKind.Response).IsValid);
            Assert.False(V16("SetChargingProfile", """{"status":"Accepted"}""").IsValid); // the request schema is another
        }
    }

    [Fact]
    public void Valid_payloads_pass()
    {
        Assert.True(V16("BootNotification", """{"chargePointVendor":"V","chargePointModel":"M"}""").IsValid);
        Assert.True(V16("BootNotification", """{"status":"Accepted","currentTime":"2024-01-01T00:00:00Z","interval":300}""", SchemaKind.Response).IsValid);
        Assert.True(V16("SetChargingProfile", """
            {"connectorId":1,"csChargingProfiles":{"chargingProfileId":1,"stackLevel":0,"chargingProfilePurpose":"TxDefaultProfile",
             "chargingProfileKind":"Absolute","chargingSchedule":{"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":16.3}]}}}
            """).IsValid);
        Assert.True(V201("BootNotification", """{"reason":"PowerUp","chargingStation":{"model":"M","vendorName":"V"}}""").IsValid);
    }

    [Fact]
    public void Missing_required_is_an_occurrence_violation_naming_the_property()
    {
        var r = V16("BootNotification", """{"chargePointVendor":"V"}""");
        Assert.Equal(OcppErrorCode.OccurrenceConstraintViolation, r.ErrorCode);
        Assert.Equal("OccurenceConstraintViolation", r.ErrorCode.ToWire(OcppVersion.Ocpp16));
        Assert.Contains("chargePointModel", r.Description);

        var nested = V201("BootNotification", """{"reason":"PowerUp","chargingStation":{"model":"M"}}""");
        Assert.Equal(OcppErrorCode.OccurrenceConstraintViolation, nested.ErrorCode);
        Assert.Equal("chargingStation.vendorName", nested.Path);
    }

    [Fact]
    public void Additional_property_is_an_occurrence_violation()
    {
        var r = V16("Heartbeat", """{"extra":1}""");
        Assert.Equal(OcppErrorCode.OccurrenceConstraintViolation, r.ErrorCode);
        Assert.Contains("extra", r.Description);
    }

    [Theory]
    [InlineData("""{"chargePointVendor":"ThisVendorNameIsWayTooLong","chargePointModel":"M"}""", "chargePointVendor")]
    public void Too_long_string_is_a_property_violation(string json, string path)
    {
        var r = V16("BootNotification", json);
        Assert.Equal(OcppErrorCode.PropertyConstraintViolation, r.ErrorCode);
        Assert.Equal(path, r.Path);
    }

    [Fact]
    public void Value_outside_enum_is_a_property_violation_in_both_versions()
    {
        var r16 = V16("StatusNotification", """{"connectorId":1,"errorCode":"NoError","status":"Sleeping"}""");
        Assert.Equal(OcppErrorCode.PropertyConstraintViolation, r16.ErrorCode);
        Assert.Equal("status", r16.Path);

        var r201 = V201("BootNotification", """{"reason":"Bored","chargingStation":{"model":"M","vendorName":"V"}}""");
        Assert.Equal(OcppErrorCode.PropertyConstraintViolation, r201.ErrorCode);
        Assert.Equal("PropertyConstraintViolation", r201.ErrorCode.ToWire(OcppVersion.Ocpp201));
    }

    [Fact]
    public void Number_out_of_range_is_a_property_violation()
    {
        var r = V201("NotifyEVChargingNeeds", """
            {"evseId":1,"chargingNeeds":{"requestedEnergyTransfer":"DC",
             "dcChargingParameters":{"evMaxCurrent":100,"evMaxVoltage":400,"stateOfCharge":150}}}
            """);
        Assert.Equal(OcppErrorCode.PropertyConstraintViolation, r.ErrorCode);
        Assert.Equal("chargingNeeds.dcChargingParameters.stateOfCharge", r.Path);
    }

    [Fact]
    public void Wrong_type_is_a_type_violation_in_both_versions()
    {
        var r16 = V16("StatusNotification", """{"connectorId":"one","errorCode":"NoError","status":"Available"}""");
        Assert.Equal(OcppErrorCode.TypeConstraintViolation, r16.ErrorCode);
        Assert.Equal("connectorId", r16.Path);

        var r201 = V201("Heartbeat", """{"currentTime":12}""", SchemaKind.Response);
        Assert.Equal(OcppErrorCode.TypeConstraintViolation, r201.ErrorCode);
    }

    [Fact]
    public void Error_inside_an_array_item_names_the_item()
    {
        var r = V16("MeterValues", """{"connectorId":1,"meterValue":[{"timestamp":"2024-01-01T00:00:00Z","sampledValue":[{"value":5}]}]}""");
        Assert.Equal(OcppErrorCode.TypeConstraintViolation, r.ErrorCode);
        Assert.Contains("sampledValue[0].value", r.Path);
    }

    [Fact]
    public void Unparseable_date_time_is_a_type_violation()
    {
        var r = V16("BootNotification", """{"status":"Accepted","currentTime":"yesterday","interval":300}""", SchemaKind.Response);
        Assert.Equal(OcppErrorCode.TypeConstraintViolation, r.ErrorCode);
        Assert.Equal("currentTime", r.Path);
    }

    [Fact]
    public void Unknown_action_is_not_implemented()
    {
        Assert.Equal(OcppErrorCode.NotImplemented, V16("FlyToTheMoon", "{}").ErrorCode);
        Assert.Equal(OcppErrorCode.NotImplemented, V16("TransactionEvent", "{}").ErrorCode); // 2.0.1-only
        Assert.False(Schemas.IsKnownAction(OcppVersion.Ocpp201, "StartTransaction"));          // 1.6-only
    }
}
