using Cms.IntegrationTests.Harness;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Ocpp;

/// <summary>A raw 2.0.1 station sending what ocpp-rpc would never let through: broken frames and schema-invalid payloads.</summary>
public sealed class Ocpp201RobustnessTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private static readonly string[] Ocpp201 = ["ocpp2.0.1"];
    private ApiClient Api => fixture.Host.Admin;

    public static TheoryData<string, string> BadTransactionEvents => new()
    {
        { """{"eventType":"Started","timestamp":"2031-05-01T00:00:00Z","triggerReason":"Authorized","seqNo":0}""", "OccurrenceConstraintViolation" },
        { """{"eventType":"Paused","timestamp":"2031-05-01T00:00:00Z","triggerReason":"Authorized","seqNo":0,"transactionInfo":{"transactionId":"t"}}""", "PropertyConstraintViolation" },
        { """{"eventType":"Started","timestamp":"2031-05-01T00:00:00Z","triggerReason":"Authorized","seqNo":"first","transactionInfo":{"transactionId":"t"}}""", "TypeConstraintViolation" },
        { """{"eventType":"Started","timestamp":"2031-05-01T00:00:00Z","triggerReason":"Authorized","seqNo":0,"transactionInfo":{"transactionId":"this transaction id is far longer than thirty-six characters"}}""", "PropertyConstraintViolation" },
    };

    [Theory]
    [MemberData(nameof(BadTransactionEvents))]
    public async Task A_schema_invalid_TransactionEvent_gets_its_callerror_writes_nothing_and_the_connection_stays_up(string payload, string code)
    {
        var (networkId, _, ocppId) = await OcppKit.ChargePointAsync(Api, "bad201");
        await using var station = await WsClient.ConnectAsync(fixture.Host.OcppUri($"ocpp/{ocppId}"), Ocpp201);

        var answer = await station.CallAsync("bad-1", "TransactionEvent", payload);
        Assert.Equal((4, "bad-1", code), ((int)answer[0], (string?)answer[1], (string?)answer[2]));
        Assert.Equal(0, (await Api.Get($"/v2/charging_sessions?network={networkId}")).Total);

        await station.SendAsync("""[2,"broken","Heartbeat",{""");
        var broken = await station.ReceiveFrameAsync();
        Assert.Equal((4, "FormatViolation"), ((int)broken[0], (string?)broken[2]));
        Assert.Equal(3, (int)(await station.CallAsync("alive", "Heartbeat", "{}"))[0]);
    }

    [Fact]
    public async Task Status_and_meter_values_of_an_evse_we_did_not_know_create_it()
    {
        var (_, cpId, ocppId) = await OcppKit.ChargePointAsync(Api, "evse201");
        await using var station = await WsClient.ConnectAsync(fixture.Host.OcppUri($"ocpp/{ocppId}"), Ocpp201);
        var now = OcppKit.Ocpp(DateTimeOffset.UtcNow);
        Assert.Equal(3, (int)(await station.CallAsync("s", "StatusNotification", $$"""{"timestamp":"{{now}}","connectorStatus":"Faulted","evseId":3,"connectorId":1}"""))[0]);
        Assert.Equal(3, (int)(await station.CallAsync("m", "MeterValues",
            $$$"""{"evseId":4,"meterValue":[{"timestamp":"{{{now}}}","sampledValue":[{"value":5,"measurand":"Voltage","unitOfMeasure":{"unit":"V","multiplier":2}}]}]}"""))[0]);
        var connectors = (await Api.Get($"/v2/connectors?chargepoint={cpId}")).Data.Cast<JObject>().ToDictionary(c => (int)c["connectorId"]!);
        Assert.Equal("Faulted", (string?)connectors[3]["ocppStatus"]);
        Assert.True(connectors.ContainsKey(4));
        var window = $"start={Uri.EscapeDataString(OcppKit.Ocpp(DateTimeOffset.UtcNow.AddMinutes(-5)))}&end={Uri.EscapeDataString(OcppKit.Ocpp(DateTimeOffset.UtcNow.AddMinutes(5)))}";
        var voltage = (await Api.Get($"/v2/meter_values?chargepoint={cpId}&{window}")).First;
        Assert.Equal(500.0, (double)voltage["value"]!); // 5 × 10² V
    }

    [NodeFact]
    public async Task A_multi_connector_evse_is_occupied_while_one_of_its_connectors_is()
    {
        var (_, cpId, ocppId) = await OcppKit.ChargePointAsync(Api, "multi201");
        await using var station = await fixture.Host.ConnectAsync($"ocpp/{ocppId}", protocol: "ocpp2.0.1");
        async Task Status(int connectorId, string status) => await station.CallAsync("StatusNotification",
            new { timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow), connectorStatus = status, evseId = 1, connectorId });
        async Task<string?> EvseStatus() => (string?)((JObject)(await Api.Get($"/v2/connectors?chargepoint={cpId}")).Data.Single())["ocppStatus"];

        await Status(1, "Available");
        await Status(2, "Available");
        Assert.Equal("Available", await EvseStatus());
        // The car plugs into connector 2; the station marks connector 1 Unavailable meanwhile (the spec's rule).
        await Status(2, "Occupied");
        await Status(1, "Unavailable");
        Assert.Equal("Preparing", await EvseStatus());
        await Status(2, "Available");
        await Status(1, "Available");
        Assert.Equal("Available", await EvseStatus());
        station.AssertNoComplaints();
    }
}
