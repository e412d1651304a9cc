using Cms.IntegrationTests.Harness;
using Cms.Ocpp.Tests.Support;

namespace Cms.IntegrationTests.Ocpp;

/// <summary>An OCPP 2.0.1 charger (ocpp-rpc, strict mode): boot, heartbeat, status, device model and every notification.</summary>
public sealed class Ocpp201Tests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private ApiClient Api => fixture.Host.Admin;

    [NodeFact]
    public async Task Boot_heartbeat_and_status_of_a_2_0_1_charger_show_up_in_the_rest_resources()
    {
        var (_, cpId, ocppId) = await OcppKit.ChargePointAsync(Api, "v201");
        await using var charger = await fixture.Host.ConnectAsync($"ocpp/{ocppId}", protocol: "ocpp2.0.1");

        var boot = await charger.CallAsync("BootNotification", new
        {
            reason = "PowerUp",
            chargingStation = new { model = "AX-201", vendorName = "Ampere", serialNumber = "SN-201", firmwareVersion = "2.0.1-a" },
        });
        Assert.Equal("Accepted", (string?)boot["status"]);
        Assert.Equal(300, (int)boot["interval"]!);
        var cp = await Api.GetOne($"/v2/charge_points/{cpId}");
        Assert.Equal(("Ampere", "AX-201", "SN-201", "2.0.1-a"),
            ((string?)cp["vendor"], (string?)cp["modelName"], (string?)cp["serialNumber"], (string?)cp["firmwareVersion"]));
        Assert.Equal(("ONLINE", "ocpp2.0.1"), ((string?)cp["onlineStatus"], (string?)cp["protocol"]));

        Assert.NotNull((await charger.CallAsync("Heartbeat", new { }))["currentTime"]);

        var at = DateTimeOffset.UtcNow.AddSeconds(-3);
        await charger.CallAsync("StatusNotification", new { timestamp = OcppKit.Ocpp(at), connectorStatus = "Occupied", evseId = 1, connectorId = 1 });
        var connector = (Newtonsoft.Json.Linq.JObject)Assert.Single((await Api.Get($"/v2/connectors?chargepoint={cpId}")).Data);
        Assert.Equal(1, (int)connector["connectorId"]!);
        Assert.Equal("Preparing", (string?)connector["ocppStatus"]);
        Assert.Equal(at.ToUnixTimeMilliseconds(), OcppKit.Time(connector["ocppStatusUpdate"]).ToUnixTimeMilliseconds());
        await charger.CallAsync("StatusNotification", new { timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow), connectorStatus = "Available", evseId = 1, connectorId = 1 });
        Assert.Equal("Available", (string?)(await Api.GetOne($"/v2/connectors/{connector.Id()}"))["ocppStatus"]);

        charger.AssertNoComplaints();
    }

    /// <summary>The charger→CSMS notifications without a domain effect beyond the log: each answered as its schema wants.</summary>
    public static TheoryData<string, string, string> Notifications => new()
    {
        { "NotifyEvent", """{"generatedAt":"2031-05-01T00:00:00.000Z","seqNo":0,"eventData":[{"eventId":1,"timestamp":"2031-05-01T00:00:00.000Z","trigger":"Alerting","actualValue":"Faulted","eventNotificationType":"HardWiredNotification","component":{"name":"Connector"},"variable":{"name":"Problem"}}]}""", "{}" },
        { "NotifyMonitoringReport", """{"requestId":3,"seqNo":0,"generatedAt":"2031-05-01T00:00:00.000Z"}""", "{}" },
        { "ReportChargingProfiles", """{"requestId":4,"chargingLimitSource":"CSO","evseId":1,"chargingProfile":[{"id":9,"stackLevel":0,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Absolute","chargingSchedule":[{"id":9,"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":11000}]}]}]}""", "{}" },
        { "LogStatusNotification", """{"status":"Uploaded","requestId":5}""", "{}" },
        { "FirmwareStatusNotification", """{"status":"Installed","requestId":6}""", "{}" },
        { "PublishFirmwareStatusNotification", """{"status":"Published"}""", "{}" },
        { "ReservationStatusUpdate", """{"reservationId":7,"reservationUpdateStatus":"Expired"}""", "{}" },
        { "NotifyDisplayMessages", """{"requestId":8}""", "{}" },
        { "NotifyCustomerInformation", """{"data":"none","seqNo":0,"generatedAt":"2031-05-01T00:00:00.000Z","requestId":9}""", "{}" },
        { "NotifyEVChargingSchedule", """{"timeBase":"2031-05-01T00:00:00.000Z","evseId":1,"chargingSchedule":{"id":1,"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":11000}]}}""", """{"status":"Accepted"}""" },
        { "DataTransfer", """{"vendorId":"com.example","messageId":"ping"}""", """{"status":"UnknownVendorId"}""" },
        { "SignCertificate", """{"csr":"-----BEGIN CERTIFICATE REQUEST-----"}""", """{"status":"Rejected","statusInfo":{"reasonCode":"NoPKI","additionalInfo":"no certificate authority is configured in this CSMS"}}""" },
        { "Get15118EVCertificate", """{"iso15118SchemaVersion":"urn:iso:15118:2:2013:MsgDef","action":"Install","exiRequest":"AAAA"}""", """{"status":"Failed","statusInfo":{"reasonCode":"NoPKI","additionalInfo":"no certificate authority is configured in this CSMS"},"exiResponse":""}""" },
        { "GetCertificateStatus", """{"ocspRequestData":{"hashAlgorithm":"SHA256","issuerNameHash":"a","issuerKeyHash":"b","serialNumber":"c","responderURL":"http://ocsp.example.com"}}""", """{"status":"Failed","statusInfo":{"reasonCode":"NoPKI","additionalInfo":"no certificate authority is configured in this CSMS"}}""" },
    };

    [NodeTheory]
    [MemberData(nameof(Notifications))]
    public async Task Each_2_0_1_notification_is_answered_as_its_schema_wants_and_logged(string action, string payloadJson, string answerJson)
    {
        var (_, cpId, ocppId) = await OcppKit.ChargePointAsync(Api, "n201");
        await using var charger = await fixture.Host.ConnectAsync($"ocpp/{ocppId}", protocol: "ocpp2.0.1");
        var answer = await charger.CallAsync(action, ApiClient.Parse(payloadJson));
        Assert.True(Newtonsoft.Json.Linq.JToken.DeepEquals(ApiClient.Parse(answerJson), answer), $"{action} answered {answer}");
        var logged = await OcppKit.EventuallyAsync(() => Api.Get($"/v2/ocpp_messages?chargepoint={cpId}&operationType={action}"),
            r => r.Total >= 2, $"{action} call and answer in the message log");
        Assert.Contains(logged.Data, m => (string?)m["protocol"] == "ocpp2.0.1");
        charger.AssertNoComplaints();
    }

    [NodeFact]
    public async Task A_security_event_is_also_an_ocpp_event()
    {
        var (_, cpId, ocppId) = await OcppKit.ChargePointAsync(Api, "sec201");
        await using var charger = await fixture.Host.ConnectAsync($"ocpp/{ocppId}", protocol: "ocpp2.0.1");
        await charger.CallAsync("SecurityEventNotification", new { type = "TamperDetectionActivated", timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow), techInfo = "lid opened" });
        var events = await Api.Get($"/v2/ocpp_events?chargepoint={cpId}&limit=100");
        Assert.Contains(events.Data, e => ((string?)e["description"] ?? "").Contains("TamperDetectionActivated") && (string?)e["type"] == "SecurityEvent");
        charger.AssertNoComplaints();
    }

    [NodeFact]
    public async Task A_reported_device_model_is_served_with_the_charge_point()
    {
        var (_, cpId, ocppId) = await OcppKit.ChargePointAsync(Api, "dm201");
        await using var charger = await fixture.Host.ConnectAsync($"ocpp/{ocppId}", protocol: "ocpp2.0.1");
        await charger.CallAsync("NotifyReport", ApiClient.Parse("""
            {"requestId":1,"generatedAt":"2031-05-01T00:00:00.000Z","seqNo":0,"reportData":[
              {"component":{"name":"SmartChargingCtrlr"},"variable":{"name":"PeriodsPerSchedule"},
               "variableAttribute":[{"type":"Actual","value":"12","mutability":"ReadOnly"}],"variableCharacteristics":{"dataType":"integer","supportsMonitoring":false}},
              {"component":{"name":"EVSE","evse":{"id":1}},"variable":{"name":"Power"},
               "variableAttribute":[{"type":"Actual","value":"0"},{"type":"MaxSet","value":"22000"}],"variableCharacteristics":{"unit":"W","dataType":"decimal","supportsMonitoring":true}}]}
            """));
        var model = (await Api.Get($"/v2/charge_points/{cpId}/device_model")).Data.Cast<Newtonsoft.Json.Linq.JObject>().ToList();
        Assert.Equal(3, model.Count);
        var periods = Assert.Single(model, v => (string?)v["component"] == "SmartChargingCtrlr");
        Assert.Equal(("PeriodsPerSchedule", "Actual", "12", "ReadOnly"), ((string?)periods["variable"], (string?)periods["attributeType"], (string?)periods["value"], (string?)periods["mutability"]));
        var maxSet = Assert.Single(model, v => (string?)v["attributeType"] == "MaxSet");
        Assert.Equal((1, "22000", "W"), ((int)maxSet["evseId"]!, (string?)maxSet["value"], (string?)maxSet["unit"]));

        // A later report of the same variable replaces its value.
        await charger.CallAsync("NotifyReport", ApiClient.Parse("""
            {"requestId":2,"generatedAt":"2031-05-01T00:00:00.000Z","seqNo":0,"reportData":[
              {"component":{"name":"SmartChargingCtrlr"},"variable":{"name":"PeriodsPerSchedule"},"variableAttribute":[{"type":"Actual","value":"24"}]}]}
            """));
        var again = (await Api.Get($"/v2/charge_points/{cpId}/device_model")).Data;
        Assert.Equal(3, again.Count());
        Assert.Contains(again, v => (string?)v["variable"] == "PeriodsPerSchedule" && (string?)v["value"] == "24");
        Assert.Equal(404, (await Api.Get($"/v2/charge_points/{Guid.NewGuid()}/device_model")).Status);
        charger.AssertNoComplaints();
    }
}
