using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Cluster;

/// <summary>A [Fact] that skips, with the reason, when no test PostgreSQL (or node) is available.</summary>
public sealed class ClusterFactAttribute : FactAttribute
{
    public ClusterFactAttribute() => Skip = ClusterNode.SkipReason;
}

/// <summary>
/// Two real hosts (A and B, separate processes on loopback) on one PostgreSQL, as behind a load balancer that does not
/// keep a charger on one node: what is written on one is read on the other, a call made on B reaches a charger
/// connected to A, a charger that moves takes over cleanly, a network is planned once, and when A dies its charger
/// continues on B with its session and its limit.
/// </summary>
public sealed class TwoNodeClusterTests
{
    private static NodeCharger Connect(ClusterNode node, string ocppId) => NodeCharger.Start(node.OcppUri($"/ocpp/{ocppId}"), "ocpp1.6");

    private static async Task<NodeCharger> OpenAsync(ClusterNode node, string ocppId)
    {
        var charger = Connect(node, ocppId);
        var opened = await charger.WaitForAsync(e => (string?)e["event"] is "open" or "fatal", "open");
        Assert.True((string?)opened["event"] == "open", opened.ToString(Formatting.None));
        await charger.HandleAsync("SetChargingProfile", new { status = "Accepted" });
        return charger;
    }

    private static Task<JObject> ProfileAsync(NodeCharger charger, long transactionId, Func<double, bool> limit, string what) =>
        charger.WaitForAsync(e => (string?)e["event"] == "received" && (string?)e["action"] == "SetChargingProfile"
            && (long?)e["payload"]!["csChargingProfiles"]!["transactionId"] == transactionId
            && limit((double)e["payload"]!["csChargingProfiles"]!["chargingSchedule"]!["chargingSchedulePeriod"]![0]!["limit"]!), what);

    private static Task<JObject> OnlineOn(ClusterNode node, string chargePointId) =>
        OcppKit.EventuallyAsync(() => node.Admin.GetOne($"/v2/charge_points/{chargePointId}"),
            cp => (string?)cp["onlineStatus"] == "ONLINE", "charger online", TimeSpan.FromSeconds(60));

    /// <summary>Every optimization stored for the session (history included): one per run that planned it.</summary>
    private static async Task<long> RunsPlanningAsync(ClusterNode node, string sessionId) =>
        (await node.Admin.Get($"/v2/optimizations?charging_session={sessionId}&start=2000-01-01T00:00:00%2B00:00&limit=1000")).Total;

    /// <summary>The optimizer runs this node made, from its /metrics (Prometheus text).</summary>
    private static async Task<long> OptimizerRunsAsync(ClusterNode node)
    {
        using var http = new HttpClient { BaseAddress = node.BaseAddress };
        var text = await http.GetStringAsync("/metrics");
        return text.Split('\n').Where(l => l.StartsWith("ampcms_optimizer_runs_total{", StringComparison.Ordinal))
            .Sum(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    [ClusterFact]
    public async Task Two_nodes_share_data_route_calls_take_over_chargers_plan_once_and_survive_a_node_kill()
    {
        await using var store = await TestStore.CreateAsync();
        await using var a = await ClusterNode.StartAsync(store.ConnectionString!);
        await using var b = await ClusterNode.StartAsync(store.ConnectionString!);

        // Written on B, read on A.
        var network = await b.Admin.Network(maxCapacity: 30, name: "two-node site");
        var networkId = network.Id();
        Assert.Equal("two-node site", (string?)(await a.Admin.GetOne($"/v2/networks/{networkId}"))["name"]);
        var ocppId = OcppKit.NewOcppId("cluster");
        var chargePointId = (await b.Admin.Create("/v2/charge_points/", new { name = ocppId, maxCapacity = 22, networkId, ocppId })).Id();
        await b.Admin.Connector(chargePointId, 1, 22, "DC", 400);

        // A strict ocpp-rpc charger on A answers a call made through B.
        var onA = await OpenAsync(a, ocppId);
        await onA.HandleAsync("DataTransfer", new { status = "Accepted", data = "answered on A" });
        await onA.BootAsync();
        await OnlineOn(b, chargePointId);
        var sent = await b.Admin.Post("/v2/ocpp_messages/", new JObject
        {
            ["chargePointId"] = chargePointId, ["sendToCharger"] = true,
            ["body"] = new JArray(2, "via-b-1", "DataTransfer", new JObject { ["vendorId"] = "com.example", ["data"] = "from B" }),
        });
        Assert.True(sent.Status == 200, sent.ToString());
        var answer = (JObject)sent.First["messages"]![0]!;
        Assert.True((string?)answer["status"] == "Answered", answer.ToString(Formatting.None));
        Assert.Equal("answered on A", (string?)answer["response"]!["data"]);
        Assert.Equal("from B", (string?)(await onA.WaitForEventAsync("received", "DataTransfer"))["payload"]!["data"]);

        // Takeover both ways: the charger reconnects to B (A closes its old connection), then to A again (B closes).
        var onB = await OpenAsync(b, ocppId);
        var closedOnA = await onA.WaitForEventAsync("close");
        Assert.Contains("another node", (string?)closedOnA["reason"]);
        var backOnA = await OpenAsync(a, ocppId);
        Assert.Contains("another node", (string?)(await onB.WaitForEventAsync("close"))["reason"]);
        await onA.DisposeAsync();
        await onB.DisposeAsync();
        await using var charger = backOnA;
        await OnlineOn(b, chargePointId);

        // A StartTransaction on A: one optimizer run (on whichever node plans the network) and its profile reaches the charger.
        var started = await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "CLUSTER", meterStart = 0, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) });
        var transactionId = (long)started["transactionId"]!;
        var first = await ProfileAsync(charger, transactionId, _ => true, "the new session's profile");
        var firstLimit = (double)first["payload"]!["csChargingProfiles"]!["chargingSchedule"]!["chargingSchedulePeriod"]![0]!["limit"]!;
        var session = (await OcppKit.EventuallyAsync(() => a.Admin.Get($"/v2/charging_sessions?network={networkId}"),
            r => r.Data.Count == 1, "the session")).First;
        var sessionId = session.Id();
        // A later change, made on B, gives the next run: when its profile has arrived, the runs that planned the session
        // are the StartTransaction's and this one.
        Assert.Equal(200, (await b.Admin.Patch($"/v2/networks/{networkId}", new { maxCapacity = 10 })).Status);
        var lowered = await ProfileAsync(charger, transactionId, l => l < firstLimit, "the lowered profile");
        var loweredLimit = (double)lowered["payload"]!["csChargingProfiles"]!["chargingSchedule"]!["chargingSchedulePeriod"]![0]!["limit"]!;
        var runs = await OcppKit.EventuallyAsync(() => RunsPlanningAsync(b, sessionId), n => n >= 2, "both runs stored");
        Assert.Equal(2, runs);
        // B took the network's lease when the network was created there: every run was B's, and its profiles reached the
        // charger on A through A.
        Assert.Equal(0, await OptimizerRunsAsync(a));
        Assert.True(await OptimizerRunsAsync(b) >= 2);
        charger.AssertNoComplaints();

        // A dies. The charger reconnects to B (a load balancer would send it there), without rebooting: its session goes on
        // and B, now planning the network, sends it its limit again.
        await a.KillAsync();
        await charger.WaitForEventAsync("close");
        await using var survivor = await OpenAsync(b, ocppId);
        var again = await ProfileAsync(survivor, transactionId, l => Math.Abs(l - loweredLimit) < 1e-6, "the limit again from B");
        Assert.NotNull(again);
        await survivor.CallAsync("MeterValues", new
        {
            connectorId = 1, transactionId,
            meterValue = new[] { new { timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow), sampledValue = new[] { new { value = "1500", measurand = "Energy.Active.Import.Register", unit = "Wh" } } } },
        });
        var kept = await b.Admin.GetOne($"/v2/charging_sessions/{sessionId}");
        Assert.True(kept["sessionEnd"] is null || kept["sessionEnd"]!.Type == JTokenType.Null, kept.ToString(Formatting.None));
        Assert.Equal(chargePointId, (string?)kept["chargePointId"]);
        survivor.AssertNoComplaints();
    }
}
