using Cms.IntegrationTests.Harness;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Ocpp;

/// <summary>GET /v2/ocpp_messages shows every frame both ways, with its filters; GET /v2/ocpp_events the connections.</summary>
public sealed class MessageLogTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private static readonly string[] Ocpp16 = ["ocpp1.6"];
    private TestHost Host => fixture.Host;
    private ApiClient Api => fixture.Host.Admin;

    private async Task<List<JObject>> Messages(string query)
    {
        var response = await Api.Get("/v2/ocpp_messages?" + query);
        Assert.True(response.Status == 200, response.ToString());
        return response.Data.Cast<JObject>().ToList();
    }

    [Fact]
    public async Task Every_frame_both_ways_is_logged_and_the_filters_sort_search_and_paging_work()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var (_, cpId, ocppId) = await OcppKit.ChargePointAsync(Api, "log", new { customName = "Log Charger " + Guid.NewGuid().ToString("N")[..6] });
        var (_, otherId, otherOcppId) = await OcppKit.ChargePointAsync(Api, "log-other");
        await using (var other = await WsClient.ConnectAsync(Host.OcppUri($"ocpp/{otherOcppId}"), Ocpp16))
            await other.CallAsync("o1", "Heartbeat", "{}");

        await using var client = await WsClient.ConnectAsync(Host.OcppUri($"ocpp/{ocppId}"), Ocpp16);
        await client.CallAsync("b1", "BootNotification", """{"chargePointVendor":"Raw","chargePointModel":"ws"}""");
        await client.CallAsync("h1", "Heartbeat", "{}");
        await client.CallAsync("bad1", "StatusNotification", """{"connectorId":1,"errorCode":"NoError","status":"Sleeping"}""");
        var send = Api.Post($"/v2/ocpp_messages/{ocppId}", JArray.Parse("""[2,"api-1","GetLocalListVersion",{}]"""));
        var call = await client.ReceiveFrameAsync();
        await client.SendAsync($$"""[3,"{{call[1]}}",{"listVersion":3}]""");
        Assert.Equal(3, (int)(await send).First["response"]!["listVersion"]!);
        var after = DateTimeOffset.UtcNow.AddSeconds(1);

        var all = await Messages($"chargepoint={cpId}&limit=100");
        // Boot, Heartbeat, bad StatusNotification: CALL + answer each; the API's call: its request (API), the CALL sent (AmpCMS), the answer.
        Assert.Equal(9, all.Count);
        Assert.All(all, m =>
        {
            Assert.Equal(cpId, (string?)m["chargePointId"]);
            Assert.Equal(ocppId, (string?)m["ocppId"]);
            Assert.Equal("ocpp1.6", (string?)m["protocol"]);
            Assert.InRange(OcppKit.Time(m["timestamp"]), before, after);
        });
        var times = all.Select(m => OcppKit.Time(m["timestamp"])).ToList();
        Assert.Equal(times.OrderByDescending(t => t), times); // newest first by default

        var boot = Assert.Single(all, m => (string?)m["operationType"] == "BootNotification" && (string?)m["messageType"] == "Call");
        Assert.Equal("Charger", (string?)boot["source"]);
        Assert.Equal("b1", (string?)boot["messageId"]);
        Assert.Equal("Raw", (string?)boot["body"]![3]!["chargePointVendor"]);
        var bootAnswer = Assert.Single(all, m => (string?)m["messageId"] == "b1" && (string?)m["messageType"] == "CallResult");
        Assert.Equal("AmpCMS", (string?)bootAnswer["source"]);
        Assert.Equal("Accepted", (string?)bootAnswer["body"]![2]!["status"]);
        var rejected = Assert.Single(all, m => (string?)m["messageId"] == "bad1" && (string?)m["messageType"] == "CallError");
        Assert.Equal("PropertyConstraintViolation", (string?)rejected["body"]![2]);
        Assert.Contains(all, m => (string?)m["source"] == "API" && (string?)m["messageId"] == "api-1");
        Assert.Contains(all, m => (string?)m["source"] == "AmpCMS" && (string?)m["messageType"] == "Call" && (string?)m["operationType"] == "GetLocalListVersion");
        Assert.Contains(all, m => (string?)m["source"] == "Charger" && (string?)m["messageType"] == "CallResult" && (string?)m["body"]![2]!["listVersion"] == "3");

        Assert.All(await Messages($"chargepoint={cpId}&source=Charger"), m => Assert.Equal("Charger", (string?)m["source"]));
        Assert.Equal(4, (await Messages($"chargepoint={cpId}&source=Charger")).Count);
        Assert.Equal(2, (await Messages($"chargepoint={cpId}&source=AmpCMS&messageType=CallResult")).Count); // Boot, Heartbeat
        Assert.Single(await Messages($"chargepoint={cpId}&messageType=CallError"));
        Assert.Equal(2, (await Messages($"chargepoint={cpId}&operationType=Heartbeat")).Count);
        Assert.Equal(9, (await Messages($"chargepoint={cpId}&protocol=ocpp1.6")).Count);
        Assert.Empty(await Messages($"chargepoint={cpId}&protocol=ocpp2.0.1"));
        Assert.Empty(await Messages($"chargepoint={cpId}&end={Uri.EscapeDataString(OcppKit.Ocpp(before))}"));
        Assert.Empty(await Messages($"chargepoint={cpId}&start={Uri.EscapeDataString(OcppKit.Ocpp(after))}"));
        Assert.Equal(9, (await Messages($"chargepoint={cpId}&start={Uri.EscapeDataString(OcppKit.Ocpp(before))}&end={Uri.EscapeDataString(OcppKit.Ocpp(after))}")).Count);
        Assert.Single(await Messages($"chargepoint={otherId}&operationType=Heartbeat&messageType=Call"));

        var searched = await Messages($"chargepoint={cpId}&search=locallist");
        Assert.Equal(3, searched.Count);
        Assert.All(searched, m => Assert.Equal("GetLocalListVersion", (string?)m["operationType"]));

        var ascending = await Messages($"chargepoint={cpId}&sort=timestamp:asc");
        Assert.Equal(all.Select(m => m.Id()).Reverse(), ascending.Select(m => m.Id()));
        var page = await Api.Get($"/v2/ocpp_messages?chargepoint={cpId}&sort=timestamp:asc&limit=4&offset=4");
        Assert.Equal(9, page.Total);
        Assert.Equal(ascending.Skip(4).Take(4).Select(m => m.Id()), page.Data.Select(m => (string)m["id"]!));

        var otherCustomer = await SecondCustomer.CreateAsync(Host, "log-" + Guid.NewGuid().ToString("N")[..6]);
        Assert.Equal(0, (await otherCustomer.Get($"/v2/ocpp_messages?chargepoint={cpId}")).Total);
    }

    [Fact]
    public async Task Connection_disconnection_and_authentication_events_are_listed_with_their_filters()
    {
        var (networkId, cpId, ocppId) = await OcppKit.ChargePointAsync(Api, "events");
        Assert.Equal(201, (await Api.Post($"/v2/configurations/ocpp_settings/charge_points/{cpId}", new { secret = "event-secret-1" })).Status);
        Assert.Equal(401, await WsClient.ConnectExpectingRefusalAsync(Host.OcppUri($"ocpp/{ocppId}"), Ocpp16, (ocppId, "nope")));
        var client = await WsClient.ConnectAsync(Host.OcppUri($"ocpp/{ocppId}"), Ocpp16, (ocppId, "event-secret-1"));
        await client.CallAsync("h", "Heartbeat", "{}");
        await client.DisposeAsync();
        await OcppKit.EventuallyAsync(() => Api.GetOne($"/v2/charge_points/{cpId}"), cp => (string?)cp["onlineStatus"] == "OFFLINE", "OFFLINE");

        var events = (await Api.Get($"/v2/ocpp_events?chargepoint={cpId}")).Data.Cast<JObject>().ToList();
        Assert.Equal(["Disconnection", "Connection", "Authentication"], events.Select(e => (string)e["type"]!));
        Assert.All(events, e =>
        {
            Assert.Equal(ocppId, (string?)e["chargepointSerial"]);
            Assert.Equal(networkId, (string?)e["networkId"]);
            Assert.Equal("regular", (string?)e["source"]);
            Assert.Equal("Triggered", (string?)e["status"]);
        });
        Assert.Contains("401", (string?)events[2]["description"]);
        Assert.Equal("Warning", (string?)events[2]["urgency"]);
        Assert.Contains("ocpp1.6", (string?)events[1]["description"]);

        Assert.Equal(["Connection"], (await Api.Get($"/v2/ocpp_events?chargepoint={cpId}&type=Connection")).Data.Select(e => (string)e["type"]!));
        Assert.Equal(2, (await Api.Get($"/v2/ocpp_events?chargepoint_serial={ocppId}&urgency=Warning")).Total);
        Assert.Equal(3, (await Api.Get($"/v2/ocpp_events?network={networkId}")).Total);
        Assert.Equal(0, (await Api.Get($"/v2/ocpp_events?chargepoint={cpId}&start=2000-01-01T00:00:00Z&end=2000-01-02T00:00:00Z")).Total);
        var asc = (await Api.Get($"/v2/ocpp_events?chargepoint={cpId}&sort=eventTime:asc&limit=1&offset=1"));
        Assert.Equal(3, asc.Total);
        Assert.Equal("Connection", (string?)asc.First["type"]);
    }
}
