using Cms.IntegrationTests.Harness;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json.Linq;
using static Cms.IntegrationTests.Ocpp.Ocpp201Station;

namespace Cms.IntegrationTests.Ocpp;

/// <summary>One 30 kW site (2 % buffer) with 1.6 chargers and 2.0.1 stations side by side under one limit.</summary>
public sealed class MixedNetworkTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TestHost Host => fixture.Host;
    private ApiClient Api => fixture.Host.Admin;

    [NodeFact]
    public async Task Sequential_delivery_keeps_a_mixed_1_6_and_2_0_1_site_within_its_limit()
    {
        var network = await Api.Network(30);
        await Api.Post($"/v2/configurations/?network={network.Id()}", new { deliveryOptions = new { TxProfile = "ampcontrol-squential-TxProfile" } });
        var ids = new List<(string ChargePointId, string OcppId)>();
        for (var i = 0; i < 3; i++)
        {
            var ocppId = OcppKit.NewOcppId("mixed");
            var cp = await Api.Create("/v2/charge_points", new { name = ocppId, maxCapacity = 22, networkId = network.Id(), ocppId });
            await Api.Connector(cp.Id(), 1, 22, "DC", 400);
            ids.Add((cp.Id(), ocppId));
        }

        await using var v16a = await Host.ConnectAsync($"ocpp/{ids[0].OcppId}");
        await v16a.HandleAsync("SetChargingProfile", new { status = "Accepted" });
        await v16a.BootAsync();
        await using var v201 = await ConnectAsync(Host, ids[1].OcppId);
        await using var v16b = await Host.ConnectAsync($"ocpp/{ids[2].OcppId}");
        await v16b.HandleAsync("SetChargingProfile", new { status = "Accepted" });
        await v16b.BootAsync();

        static double Limit16(JObject e) => (double)e["payload"]!["csChargingProfiles"]!["chargingSchedule"]!["chargingSchedulePeriod"]![0]!["limit"]!;
        static bool Profile(JObject e) => (string?)e["event"] == "received" && (string?)e["action"] == "SetChargingProfile";

        var txA = (long)(await v16a.CallAsync("StartTransaction", new { connectorId = 1, idTag = "MIX", meterStart = 0, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) }))["transactionId"]!;
        await v16a.WaitForAsync(e => Profile(e) && Limit16(e) == 22000, "1.6 A alone");
        var tx201 = "M-" + Guid.NewGuid().ToString("N")[..10];
        await v201.TransactionEventAsync("Started", tx201, 0, "Authorized", "Charging", IdToken("MIX"));
        await v201.ReceivedProfileAsync(l => l == 14700, "2.0.1 station shares");
        await v16b.CallAsync("StartTransaction", new { connectorId = 1, idTag = "MIX", meterStart = 0, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) });
        await v16b.WaitForAsync(e => Profile(e) && Limit16(e) == 9800, "1.6 B shares");
        await v201.ReceivedProfileAsync(l => l == 9800, "2.0.1 station lowered to a third");
        await v16a.CallAsync("StopTransaction", new { transactionId = txA, meterStop = 0, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) });
        await v201.ReceivedProfileAsync(l => l == 14700, "2.0.1 station raised after A stops");
        await v201.TransactionEventAsync("Ended", tx201, 1, "StopAuthorized", stoppedReason: "Local");
        await v16b.WaitForAsync(e => Profile(e) && Limit16(e) == 22000, "1.6 B alone again");

        // Replay the server's own log: a raise counts from when it is sent, a lowering only once accepted, and an ended
        // transaction (1.6 StopTransaction, 2.0.1 TransactionEvent Ended) ends its charger's limit.
        var query = string.Join("&", ids.Select(c => "chargepoint=" + c.ChargePointId));
        var log = (await Api.Get($"/v2/ocpp_messages?{query}&operationType=SetChargingProfile&operationType=StopTransaction" +
                                 "&operationType=TransactionEvent&sort=timestamp:asc&limit=1000")).Data;
        var sent = new Dictionary<string, (string ChargePoint, double Limit)>();
        var inForce = new Dictionary<string, double>();
        var deliveries = 0;
        foreach (var frame in log)
        {
            var body = (JArray)frame["body"]!;
            var chargePoint = (string)frame["chargePointId"]!;
            var call = (string?)frame["messageType"] == "Call";
            switch ((string?)frame["operationType"])
            {
                case "StopTransaction" when call:
                case "TransactionEvent" when call && (string?)body[3]["eventType"] == "Ended":
                    inForce[chargePoint] = 0;
                    break;
                case "SetChargingProfile" when call:
                    var payload = (JObject)body[3];
                    var limit = payload["csChargingProfiles"] is { } p16
                        ? (double)p16["chargingSchedule"]!["chargingSchedulePeriod"]![0]!["limit"]!
                        : FirstLimit(payload);
                    sent[(string)body[1]!] = (chargePoint, limit);
                    if (limit > inForce.GetValueOrDefault(chargePoint)) inForce[chargePoint] = limit;
                    break;
                case "SetChargingProfile" when (string?)frame["messageType"] == "CallResult" && sent.TryGetValue((string)body[1]!, out var answered):
                    inForce[answered.ChargePoint] = answered.Limit;
                    deliveries++;
                    break;
            }
            Assert.True(inForce.Values.Sum() <= 29400 + 1e-6, $"limits in force {string.Join(" + ", inForce.Values)} W exceed 29.4 kW at {frame["timestamp"]}");
        }
        Assert.True(deliveries >= 6, $"only {deliveries} deliveries were logged");
        Assert.Contains(log, f => (string?)f["protocol"] == "ocpp2.0.1" && (string?)f["operationType"] == "SetChargingProfile");
        v16a.AssertNoComplaints();
        v201.AssertNoComplaints();
        v16b.AssertNoComplaints();
    }
}
