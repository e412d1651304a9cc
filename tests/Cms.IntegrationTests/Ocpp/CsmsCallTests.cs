using Cms.IntegrationTests.Harness;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Ocpp;

/// <summary>One host and one booted ocpp-rpc 1.6 charger, shared by the tests of a class.</summary>
public sealed class ConnectedChargerFixture : IAsyncLifetime
{
    public TestHost Host { get; private set; } = null!;
    public NodeCharger Charger { get; private set; } = null!;
    public string ChargePointId { get; private set; } = "";
    public string OcppId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Host = await TestHost.StartAsync();
        if (NodeCharger.SkipReason is not null) return;
        (_, ChargePointId, OcppId) = await OcppKit.ChargePointAsync(Host.Admin, "csms");
        Charger = await Host.ConnectAsync($"ocpp/default/{OcppId}");
        await Charger.BootAsync();
    }

    public async Task DisposeAsync()
    {
        if (Charger is not null) await Charger.DisposeAsync();
        await Host.DisposeAsync();
    }
}

/// <summary>
/// Each of the nineteen OCPP 1.6 CSMS→charger calls, sent from REST, received by ocpp-rpc (strict mode: our CALL must
/// match the official schema) with the payload we sent, answered, and the answer returned in the REST response.
/// </summary>
public sealed class CsmsCallTests(ConnectedChargerFixture fixture) : IClassFixture<ConnectedChargerFixture>
{
    public static TheoryData<string, string, string> Calls => new()
    {
        { "RemoteStartTransaction", """{"connectorId":1,"idTag":"TAG-1"}""", """{"status":"Accepted"}""" },
        { "RemoteStopTransaction", """{"transactionId":42}""", """{"status":"Accepted"}""" },
        { "Reset", """{"type":"Soft"}""", """{"status":"Accepted"}""" },
        { "ChangeAvailability", """{"connectorId":1,"type":"Inoperative"}""", """{"status":"Scheduled"}""" },
        { "ChangeConfiguration", """{"key":"HeartbeatInterval","value":"120"}""", """{"status":"Accepted"}""" },
        { "GetConfiguration", """{"key":["HeartbeatInterval","Nope"]}""",
            """{"configurationKey":[{"key":"HeartbeatInterval","readonly":false,"value":"120"}],"unknownKey":["Nope"]}""" },
        { "ClearCache", """{}""", """{"status":"Accepted"}""" },
        { "UnlockConnector", """{"connectorId":1}""", """{"status":"Unlocked"}""" },
        { "TriggerMessage", """{"requestedMessage":"StatusNotification","connectorId":1}""", """{"status":"Accepted"}""" },
        { "SetChargingProfile", """
            {"connectorId":1,"csChargingProfiles":{"chargingProfileId":7,"stackLevel":0,"chargingProfilePurpose":"TxDefaultProfile",
             "chargingProfileKind":"Absolute","chargingSchedule":{"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":11000}]}}}
            """, """{"status":"Accepted"}""" },
        { "ClearChargingProfile", """{"id":7,"connectorId":1,"chargingProfilePurpose":"TxDefaultProfile","stackLevel":0}""", """{"status":"Accepted"}""" },
        { "GetCompositeSchedule", """{"connectorId":1,"duration":3600,"chargingRateUnit":"W"}""", """
            {"status":"Accepted","connectorId":1,"scheduleStart":"2031-05-01T00:00:00.000Z",
             "chargingSchedule":{"duration":3600,"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":11000}]}}
            """ },
        { "GetDiagnostics", """{"location":"ftp://diag.example.com/upload","retries":2,"retryInterval":30}""", """{"fileName":"diag-1.zip"}""" },
        { "UpdateFirmware", """{"location":"https://fw.example.com/fw-2.bin","retrieveDate":"2031-05-01T00:00:00.000Z"}""", """{}""" },
        { "SendLocalList", """{"listVersion":2,"updateType":"Full","localAuthorizationList":[{"idTag":"TAG-1","idTagInfo":{"status":"Accepted"}}]}""",
            """{"status":"Accepted"}""" },
        { "GetLocalListVersion", """{}""", """{"listVersion":2}""" },
        { "ReserveNow", """{"connectorId":1,"expiryDate":"2031-05-01T01:00:00.000Z","idTag":"TAG-1","reservationId":5}""", """{"status":"Accepted"}""" },
        { "CancelReservation", """{"reservationId":5}""", """{"status":"Accepted"}""" },
        { "DataTransfer", """{"vendorId":"com.example","messageId":"ping","data":"hello"}""", """{"status":"Accepted","data":"pong"}""" },
    };

    [NodeTheory]
    [MemberData(nameof(Calls))]
    public async Task A_call_sent_from_rest_reaches_the_charger_and_its_answer_comes_back(string action, string payloadJson, string replyJson)
    {
        var payload = ApiClient.Parse(payloadJson); // dates stay strings, as on the wire
        var reply = ApiClient.Parse(replyJson);
        var charger = fixture.Charger;
        await charger.HandleAsync(action, reply);
        var messageId = "rest-" + Guid.NewGuid().ToString("N")[..8];

        var response = await fixture.Host.Admin.Post("/v2/ocpp_messages/", new JObject
        {
            ["chargePointId"] = fixture.ChargePointId, ["sendToCharger"] = true,
            ["body"] = new JArray(2, messageId, action, payload),
        });
        Assert.True(response.Status == 200, response.ToString());
        var answer = (JObject)response.First["messages"]![0]!;
        Assert.Equal("Answered", (string?)answer["status"]);
        Assert.Equal(messageId, (string?)answer["messageId"]);
        Assert.Equal(action, (string?)answer["operationType"]);
        Assert.True(JToken.DeepEquals(reply, answer["response"]), $"response {answer["response"]?.ToString(Formatting.None)}");

        var received = await charger.WaitForEventAsync("received", action);
        Assert.True(JToken.DeepEquals(payload, received["payload"]), $"charger got {received["payload"]?.ToString(Formatting.None)}");
        charger.AssertNoComplaints();
    }

    [NodeFact]
    public async Task A_call_posted_to_the_charger_by_ocpp_id_as_a_frame_or_a_json_string_is_answered()
    {
        var charger = fixture.Charger;
        await charger.HandleAsync("GetLocalListVersion", new { listVersion = 9 });
        await charger.HandleAsync("Reset", new { status = "Rejected" });

        var asFrame = await fixture.Host.Admin.Post($"/v2/ocpp_messages/{fixture.OcppId}", JArray.Parse("""[2,"by-id-1","GetLocalListVersion",{}]"""));
        Assert.True(asFrame.Status == 200, asFrame.ToString());
        Assert.Equal("Answered", (string?)asFrame.First["status"]);
        Assert.Equal(9, (int)asFrame.First["response"]!["listVersion"]!);

        var asString = await fixture.Host.Admin.Post($"/v2/ocpp_messages/{fixture.OcppId}", new JValue("""[2,"by-id-2","Reset",{"type":"Hard"}]"""));
        Assert.True(asString.Status == 200, asString.ToString());
        Assert.Equal("Rejected", (string?)asString.First["response"]!["status"]);
        Assert.Equal("Hard", (string?)(await charger.WaitForEventAsync("received", "Reset"))["payload"]!["type"]);
        charger.AssertNoComplaints();
    }

    [NodeFact]
    public async Task A_charger_callerror_and_a_schema_invalid_call_are_reported_to_the_rest_caller()
    {
        var charger = fixture.Charger;
        await charger.SendAsync(new { handle = "UnlockConnector", error = new { code = "NotSupported", message = "no lock" } });
        await charger.WaitForEventAsync("handling", "UnlockConnector");
        var refused = await fixture.Host.Admin.Post($"/v2/ocpp_messages/{fixture.OcppId}", JArray.Parse("""[2,"err-1","UnlockConnector",{"connectorId":1}]"""));
        Assert.Equal("CallError", (string?)refused.First["status"]);
        Assert.Equal("NotSupported", (string?)refused.First["errorCode"]);

        // Never sent: the payload breaks the 1.6 schema (Reset.type is an enum).
        var invalid = await fixture.Host.Admin.Post($"/v2/ocpp_messages/{fixture.OcppId}", JArray.Parse("""[2,"bad-1","Reset",{"type":"Sideways"}]"""));
        Assert.Equal(400, invalid.Status);
        Assert.NotNull(invalid.FailFor("body"));
        charger.AssertNoComplaints();
    }
}

/// <summary>A [Theory] that skips, with the reason, when node is not installed.</summary>
public sealed class NodeTheoryAttribute : TheoryAttribute
{
    public NodeTheoryAttribute() => Skip = NodeCharger.SkipReason;
}
