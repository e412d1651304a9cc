using Cms.Ocpp.Connection;
using Cms.Ocpp.Framing;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Tests;

/// <summary>Charger → CSMS traffic over a real Kestrel and a real ClientWebSocket.</summary>
public class ConnectionTests
{
    const string Boot16 = """{"chargePointVendor":"VendorX","chargePointModel":"ModelY"}""";

    static async Task<(TestHost, WsClient)> Connect16(string path = "ocpp/CP1", TestCallHandler? handler = null)
    {
        var host = await TestHost.StartAsync(handler);
        var client = await WsClient.ConnectAsync(host.OcppUri(path), ["ocpp1.6"]);
        return (host, client);
    }

    [Fact]
    public async Task A_call_is_answered_and_both_frames_are_logged()
    {
        var (host, client) = await Connect16();
        await using var _ = host;
        await using var __ = client;

        var answer = await client.CallAsync("m1", "BootNotification", Boot16);

        Assert.Equal(3, (int)answer[0]);
        Assert.Equal("m1", (string?)answer[1]);
        Assert.Equal("Accepted", (string?)answer[2]!["status"]);
        var log = host.FrameLog.Entries.ToArray();
        Assert.Equal(2, log.Length);
        Assert.Equal((OcppFrameDirection.Incoming, OcppMessageType.Call, "BootNotification", "m1"), (log[0].Direction, log[0].MessageType!.Value, log[0].Action!, log[0].MessageId!));
        Assert.Equal((OcppFrameDirection.Outgoing, OcppMessageType.CallResult, "BootNotification", "m1"), (log[1].Direction, log[1].MessageType!.Value, log[1].Action!, log[1].MessageId!));
        Assert.Equal("CP1", log[0].Connection.OcppId);
        Assert.Equal(host.Time.GetUtcNow(), log[0].Timestamp);
    }

    [Fact]
    public async Task A_fragmented_call_is_reassembled()
    {
        var (host, client) = await Connect16();
        await using var _ = host;
        await using var __ = client;

        await client.SendFragmentedAsync($"""[2,"frag","BootNotification",{Boot16}]""", pieces: 4);

        var answer = await client.ReceiveFrameAsync();
        Assert.Equal("frag", (string?)answer[1]);
        Assert.Equal(3, (int)answer[0]);
    }

    [Fact]
    public async Task Malformed_json_gets_an_error_and_the_connection_stays_up()
    {
        var (host, client) = await Connect16();
        await using var _ = host;
        await using var __ = client;

        await client.SendAsync("this is not json");
        var error = await client.ReceiveFrameAsync();
        Assert.Equal("""[4,"-1","ProtocolError","Message is not valid JSON",{}]""", error.ToString(Newtonsoft.Json.Formatting.None));

        await client.SendAsync("""[2,"broken","Heartbeat",{""");
        var withId = await client.ReceiveFrameAsync();
        Assert.Equal(("broken", "FormationViolation"), ((string)withId[1]!, (string)withId[2]!));

        var answer = await client.CallAsync("m2", "Heartbeat", "{}");
        Assert.Equal(3, (int)answer[0]);
    }

    [Fact]
    public async Task Schema_invalid_payloads_get_the_right_1_6_codes()
    {
        var (host, client) = await Connect16();
        await using var _ = host;
        await using var __ = client;

        var missing = await client.CallAsync("a", "BootNotification", """{"chargePointVendor":"V"}""");
        Assert.Equal((4, "a", "OccurenceConstraintViolation"), ((int)missing[0], (string)missing[1]!, (string)missing[2]!));
        Assert.Contains("chargePointModel", (string?)missing[3]);

        var tooLong = await client.CallAsync("b", "BootNotification", """{"chargePointVendor":"VendorNameLongerThanTwenty","chargePointModel":"M"}""");
        Assert.Equal("PropertyConstraintViolation", (string?)tooLong[2]);
        Assert.Equal("chargePointVendor", (string?)tooLong[4]!["path"]);

        var wrongType = await client.CallAsync("c", "StatusNotification", """{"connectorId":"1","errorCode":"NoError","status":"Available"}""");
        Assert.Equal("TypeConstraintViolation", (string?)wrongType[2]);
    }

    [Fact]
    public async Task Schema_invalid_payload_gets_the_2_0_1_spelling()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await WsClient.ConnectAsync(host.OcppUri("ocpp/CP201"), ["ocpp2.0.1"]);

        var missing = await client.CallAsync("a", "BootNotification", """{"reason":"PowerUp","chargingStation":{"model":"M"}}""");
        Assert.Equal("OccurrenceConstraintViolation", (string?)missing[2]);

        var ok = await client.CallAsync("b", "BootNotification", """{"reason":"PowerUp","chargingStation":{"model":"M","vendorName":"V"}}""");
        Assert.Equal(3, (int)ok[0]);
    }

    [Fact]
    public async Task Unknown_action_is_not_implemented_and_a_csms_action_is_not_supported()
    {
        var (host, client) = await Connect16();
        await using var _ = host;
        await using var __ = client;

        var unknown = await client.CallAsync("u", "FlyToTheMoon", "{}");
        Assert.Equal("NotImplemented", (string?)unknown[2]);

        var wrongDirection = await client.CallAsync("r", "Reset", """{"type":"Soft"}""");
        Assert.Equal("NotSupported", (string?)wrongDirection[2]);
    }

    [Fact]
    public async Task Handler_errors_become_call_errors()
    {
        var handler = new TestCallHandler();
        handler.Overrides["DataTransfer"] = (_, _) => throw new OcppCallException(OcppErrorCode.NotSupported, "no vendor data");
        handler.Overrides["Heartbeat"] = (_, _) => Task.FromResult(new JObject { ["currentTime"] = 5 }); // breaks the schema
        handler.Overrides["Authorize"] = (_, _) => throw new InvalidOperationException("boom");
        var (host, client) = await Connect16(handler: handler);
        await using var _ = host;
        await using var __ = client;

        var thrown = await client.CallAsync("d", "DataTransfer", """{"vendorId":"X"}""");
        Assert.Equal(("NotSupported", "no vendor data"), ((string)thrown[2]!, (string)thrown[3]!));

        var invalidAnswer = await client.CallAsync("h", "Heartbeat", "{}");
        Assert.Equal("InternalError", (string?)invalidAnswer[2]);

        var crashed = await client.CallAsync("z", "Authorize", """{"idTag":"TAG"}""");
        Assert.Equal(("InternalError", "Internal error"), ((string)crashed[2]!, (string)crashed[3]!));
    }

    [Fact]
    public async Task A_broken_response_from_the_charger_is_not_answered()
    {
        var (host, client) = await Connect16();
        await using var _ = host;
        await using var __ = client;

        await client.SendAsync("""[3,"nobody-asked"]""");
        await client.SendAsync("""[3,"nobody-asked-either",{}]""");
        // The next frame we get is the Heartbeat's answer: nothing was sent for the two responses.
        var answer = await client.CallAsync("hb", "Heartbeat", "{}");
        Assert.Equal("hb", (string?)answer[1]);
    }
}
