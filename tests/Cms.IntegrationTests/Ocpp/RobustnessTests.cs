using Cms.IntegrationTests.Harness;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Ocpp;

/// <summary>Broken frames, bad payloads, repeats and out-of-order messages from a raw WebSocket charger.</summary>
public sealed class RobustnessTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private static readonly string[] Ocpp16 = ["ocpp1.6"];
    private TestHost Host => fixture.Host;
    private ApiClient Api => fixture.Host.Admin;

    /// <summary>A registered charge point (default customer, no secret: security profile 0) and a raw charger on it.</summary>
    private async Task<(string NetworkId, string ChargePointId, string OcppId, WsClient Client)> ConnectAsync(string prefix)
    {
        var (networkId, cpId, ocppId) = await OcppKit.ChargePointAsync(Api, prefix);
        var client = await WsClient.ConnectAsync(Host.OcppUri($"ocpp/{ocppId}"), Ocpp16);
        Assert.Equal(3, (int)(await client.CallAsync("boot", "BootNotification", """{"chargePointVendor":"Raw","chargePointModel":"ws"}"""))[0]);
        return (networkId, cpId, ocppId, client);
    }

    private static void AssertCallError(JArray frame, string id, string code)
    {
        Assert.Equal(4, (int)frame[0]);
        Assert.Equal(id, (string?)frame[1]);
        Assert.Equal(code, (string?)frame[2]);
    }

    private static async Task AssertStillUp(WsClient client)
    {
        var answer = await client.CallAsync("alive-" + Guid.NewGuid().ToString("N")[..6], "Heartbeat", "{}");
        Assert.Equal(3, (int)answer[0]);
    }

    [Fact]
    public async Task Malformed_frames_get_a_callerror_and_the_connection_stays_up()
    {
        var (_, _, _, client) = await ConnectAsync("malformed");
        await using var _ = client;

        await client.SendAsync("""[2,"m1","Heartbeat",{""");
        AssertCallError(await client.ReceiveFrameAsync(), "m1", "FormationViolation");
        await client.SendAsync("this is not json");
        AssertCallError(await client.ReceiveFrameAsync(), "-1", "ProtocolError");
        await client.SendAsync("""{"not":"an array"}""");
        AssertCallError(await client.ReceiveFrameAsync(), "-1", "ProtocolError");
        await client.SendAsync("""[2,"m2","Heartbeat"]""");
        AssertCallError(await client.ReceiveFrameAsync(), "m2", "FormationViolation");
        await client.SendAsync("""[7,"m3","Heartbeat",{}]""");
        AssertCallError(await client.ReceiveFrameAsync(), "m3", "ProtocolError");
        await AssertStillUp(client);
    }

    [Theory]
    [InlineData("BootNotification", """{"chargePointVendor":"Raw"}""", "OccurenceConstraintViolation")]
    [InlineData("BootNotification", """{"chargePointVendor":"Raw","chargePointModel":"ws","colour":"red"}""", "OccurenceConstraintViolation")]
    [InlineData("BootNotification", """{"chargePointVendor":"this vendor name is far too long for it","chargePointModel":"ws"}""", "PropertyConstraintViolation")]
    [InlineData("StatusNotification", """{"connectorId":1,"errorCode":"NoError","status":"Sleeping"}""", "PropertyConstraintViolation")]
    [InlineData("StartTransaction", """{"connectorId":1,"idTag":"T","meterStart":"lots","timestamp":"2031-05-01T00:00:00Z"}""", "TypeConstraintViolation")]
    [InlineData("StartTransaction", """{"connectorId":1,"idTag":"T","meterStart":0,"timestamp":"yesterday"}""", "TypeConstraintViolation")]
    [InlineData("MeterValues", """{"connectorId":1}""", "OccurenceConstraintViolation")]
    [InlineData("Authorize", """{"idTag":42}""", "TypeConstraintViolation")]
    public async Task Schema_invalid_payloads_get_the_matching_error_code(string action, string payload, string code)
    {
        var (_, _, _, client) = await ConnectAsync("schema");
        await using var _ = client;
        AssertCallError(await client.CallAsync("bad", action, payload), "bad", code);
        await AssertStillUp(client);
    }

    [Fact]
    public async Task Unknown_actions_are_not_implemented_and_csms_only_actions_not_supported()
    {
        var (_, _, _, client) = await ConnectAsync("unknown");
        await using var _ = client;
        AssertCallError(await client.CallAsync("u1", "MakeCoffee", "{}"), "u1", "NotImplemented");
        AssertCallError(await client.CallAsync("u2", "Reset", """{"type":"Hard"}"""), "u2", "NotSupported");
        await AssertStillUp(client);
    }

    [Fact]
    public async Task A_repeated_start_transaction_gets_the_same_transaction_id_and_makes_one_session()
    {
        var (networkId, cpId, _, client) = await ConnectAsync("dup");
        await using var _ = client;
        const string start = """{"connectorId":1,"idTag":"DUP","meterStart":2000,"timestamp":"2031-05-01T10:00:00.000Z"}""";
        var first = await client.CallAsync("s1", "StartTransaction", start);
        var again = await client.CallAsync("s2", "StartTransaction", start);
        Assert.True((int)first[0] == 3, first.ToString());
        var transactionId = (long)first[2]["transactionId"]!;
        Assert.Equal(transactionId, (long)again[2]["transactionId"]!);
        var sessions = await Api.Get($"/v2/charging_sessions?network={networkId}&chargepoint={cpId}");
        Assert.Equal(1, sessions.Total);
        // The charger never reported connector 1: it was created for the transaction.
        var connector = (JObject)Assert.Single((await Api.Get($"/v2/connectors?chargepoint={cpId}")).Data);
        Assert.Equal(1, (int)connector["connectorId"]!);
        Assert.Equal(connector.Id(), (string?)sessions.First["connectorId"]);
        Assert.Equal(transactionId, (long)sessions.First["transactionId"]!);

        // A different start on the same connector is a new transaction.
        var other = await client.CallAsync("s3", "StartTransaction", """{"connectorId":1,"idTag":"DUP","meterStart":2500,"timestamp":"2031-05-01T11:00:00.000Z"}""");
        Assert.NotEqual(transactionId, (long)other[2]["transactionId"]!);
    }

    [Fact]
    public async Task Stop_for_an_unknown_transaction_is_acknowledged_and_meter_values_after_stop_are_kept()
    {
        var (networkId, cpId, _, client) = await ConnectAsync("order");
        await using var _ = client;
        var empty = await client.CallAsync("x0", "MeterValues", """{"connectorId":1,"meterValue":[]}""");
        Assert.Equal(3, (int)empty[0]);
        var unknown = await client.CallAsync("x1", "StopTransaction", """{"transactionId":987654321,"meterStop":100,"timestamp":"2031-05-01T10:00:00.000Z"}""");
        Assert.Equal(3, (int)unknown[0]);

        var started = await client.CallAsync("x2", "StartTransaction", """{"connectorId":1,"idTag":"ORD","meterStart":0,"timestamp":"2031-05-01T10:00:00.000Z"}""");
        Assert.True((int)started[0] == 3, started.ToString());
        var transactionId = (long)started[2]["transactionId"]!;
        Assert.Equal(3, (int)(await client.CallAsync("x3", "StopTransaction",
            $$"""{"transactionId":{{transactionId}},"meterStop":4000,"timestamp":"2031-05-01T10:30:00.000Z","reason":"EVDisconnected"}"""))[0]);
        var late = await client.CallAsync("x4", "MeterValues", $$"""
            {"connectorId":1,"transactionId":{{transactionId}},"meterValue":[{"timestamp":"2031-05-01T10:29:00.000Z",
             "sampledValue":[{"value":"3900","measurand":"Energy.Active.Import.Register","unit":"Wh"}]}]}
            """);
        Assert.Equal(3, (int)late[0]);

        var session = (await Api.Get($"/v2/charging_sessions?network={networkId}&chargepoint={cpId}&start=2000-01-01T00:00:00Z&end=2100-01-01T00:00:00Z")).First;
        Assert.Equal(4.0, (double)session["meterStop"]!);
        var rows = (await Api.Get($"/v2/meter_values?chargepoint={cpId}&start=2031-05-01T10:00:00Z&end=2031-05-01T11:00:00Z")).Data;
        var row = (JObject)Assert.Single(rows);
        Assert.Equal(session.Id(), (string?)row["chargingSessionId"]);
        Assert.Equal(transactionId, (long)row["transactionId"]!);
    }

    [Fact]
    public async Task A_call_to_an_offline_charger_is_queued_and_delivered_when_it_reconnects()
    {
        var (_, cpId, ocppId, client) = await ConnectAsync("queued");
        await client.DisposeAsync();
        await OcppKit.EventuallyAsync(() => Api.GetOne($"/v2/charge_points/{cpId}"), cp => (string?)cp["onlineStatus"] == "OFFLINE", "OFFLINE");

        var queued = await Api.Post("/v2/ocpp_messages/", new JObject
        {
            ["chargePointId"] = cpId, ["sendToCharger"] = true,
            ["body"] = new JArray(new JArray(2, "q1", "ChangeConfiguration", new JObject { ["key"] = "HeartbeatInterval", ["value"] = "60" }),
                new JArray(2, "q2", "Reset", new JObject { ["type"] = "Soft" })),
        });
        Assert.True(queued.Status == 200, queued.ToString());
        Assert.All((JArray)queued.First["messages"]!, m => Assert.Equal("Queued", (string?)m["status"]));

        await using var back = await WsClient.ConnectAsync(Host.OcppUri($"ocpp/{ocppId}"), Ocpp16);
        var first = await back.ReceiveFrameAsync();
        Assert.Equal((2, "ChangeConfiguration", "60"), ((int)first[0], (string)first[2]!, (string?)first[3]["value"]));
        await back.SendAsync($$"""[3,"{{first[1]}}",{"status":"Accepted"}]""");
        var second = await back.ReceiveFrameAsync();
        Assert.Equal((2, "Reset", "Soft"), ((int)second[0], (string)second[2]!, (string?)second[3]["type"]));
        await back.SendAsync($$"""[3,"{{second[1]}}",{"status":"Accepted"}]""");
        await AssertStillUp(back);

        var log = await Api.Get($"/v2/ocpp_messages?chargepoint={cpId}&source=Charger&messageType=CallResult&operationType=Reset");
        Assert.Equal(1, log.Total);
    }
}

/// <summary>The call timeout needs a host of its own, configured with a one-second timeout.</summary>
public sealed class CallTimeoutTests
{
    [Fact]
    public async Task A_charger_that_never_answers_times_out_and_the_next_call_goes_through()
    {
        await using var host = await TestHost.StartAsync(null, "--Ocpp:CallTimeoutSeconds=1");
        var (_, cpId, ocppId) = await OcppKit.ChargePointAsync(host.Admin, "timeout");
        await using var client = await WsClient.ConnectAsync(host.OcppUri($"ocpp/{ocppId}"), ["ocpp1.6"]);
        Assert.Equal(3, (int)(await client.CallAsync("boot", "BootNotification", """{"chargePointVendor":"Raw","chargePointModel":"ws"}"""))[0]);

        var silent = await host.Admin.Post($"/v2/ocpp_messages/{ocppId}", JArray.Parse("""[2,"t1","ClearCache",{}]"""));
        Assert.Equal("TimedOut", (string?)silent.First["status"]);
        Assert.Equal("ClearCache", (string?)(await client.ReceiveFrameAsync())[2]);

        var send = host.Admin.Post($"/v2/ocpp_messages/{ocppId}", JArray.Parse("""[2,"t2","ClearCache",{}]"""));
        var call = await client.ReceiveFrameAsync();
        await client.SendAsync($$"""[3,"{{call[1]}}",{"status":"Accepted"}]""");
        var answered = await send;
        Assert.Equal("Answered", (string?)answered.First["status"]);
        Assert.Equal("Accepted", (string?)answered.First["response"]!["status"]);
        Assert.Equal(1, (await host.Admin.Get($"/v2/ocpp_messages?chargepoint={cpId}&source=Charger&messageType=CallResult&operationType=ClearCache")).Total);
    }
}
