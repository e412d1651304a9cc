using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.ClosedLoop;

/// <summary>
/// What a charger reports about a car's draw moves power (issue #15), driven by two OCPP 1.6 chargers (ocpp-rpc,
/// strict) on a 30 kW site. A car nobody told us the need of says it is full by itself: its charger reports SuspendedEV
/// once it stops drawing, and Core plans it at 0 at once. A car that draws what it was offered is only held back, not
/// slow: its draw does not cap it once power is free.
/// </summary>
public sealed class CarDrawTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private ApiClient Api => fixture.Host.Admin;

    private async Task<(NodeCharger A, NodeCharger B)> TwoChargersAsync(string networkId)
    {
        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var ocppId = OcppKit.NewOcppId("draw");
            var cp = await Api.Create("/v2/charge_points", new { name = ocppId, maxCapacity = 22, networkId, ocppId });
            await Api.Connector(cp.Id(), 1, 22, "DC", 400);
            ids.Add(ocppId);
        }
        return (await ChargerAsync(ids[0]), await ChargerAsync(ids[1]));
    }

    [Fact]
    public async Task A_car_drawing_what_it_was_offered_gets_the_whole_site_when_the_other_leaves_and_a_slow_one_is_capped_near_its_draw()
    {
        var network = await Api.Network(30);
        var (a, b) = await TwoChargersAsync(network.Id());
        await using var _ = a;
        await using var __ = b;
        var txA = await StartAsync(a);
        var txB = await StartAsync(b);
        await ReceivedLimitAsync(a, l => l == 14700, "equal shares");
        await ReceivedLimitAsync(b, l => l == 14700, "equal shares");
        // A draws the 14.7 kW it was offered (below 90 % of its 22 kW connector).
        await MeterAsync(a, txA, watts: 14700);
        var seenA = Count(a);
        await b.CallAsync("StopTransaction", new { transactionId = txB, meterStop = 1000, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) });
        Assert.Equal(22000, await ReceivedLimitAsync(a, l => l != 14700, "A gets the whole connector, not its draw + 10 %", seenA));

        // Now A draws 5 kW of the 22 it is offered: slow, so it is capped at 5 + max(1, 10 %) = 6 kW.
        seenA = Count(a);
        await MeterAsync(a, txA, watts: 5000);
        Assert.Equal(6000, await ReceivedLimitAsync(a, l => l != 22000, "A capped near its draw", seenA));
        a.AssertNoComplaints();
        b.AssertNoComplaints();
    }

    private static Task MeterAsync(NodeCharger charger, long transactionId, double watts) =>
        charger.CallAsync("MeterValues", new
        {
            connectorId = 1, transactionId,
            meterValue = new[] { new { timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow), sampledValue = new[]
            {
                new { value = watts.ToString(System.Globalization.CultureInfo.InvariantCulture), measurand = "Power.Active.Import", unit = "W" },
            } } },
        });

    [Fact]
    public async Task A_car_that_stops_drawing_after_it_charged_frees_its_power_and_gets_it_back_when_it_draws_again()
    {
        var network = await Api.Network(30);
        var (a, b) = await TwoChargersAsync(network.Id());
        await using var _ = a;
        await using var __ = b;
        var txA = await StartAsync(a);
        await StartAsync(b);
        await ReceivedLimitAsync(a, l => l == 14700, "equal shares");
        await ReceivedLimitAsync(b, l => l == 14700, "equal shares");

        // B's car waits on a timer of its own: it stops before it took anything, so it is not full.
        await b.CallAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "SuspendedEV" });
        // A's car took 5 kWh, then stopped drawing.
        await a.CallAsync("MeterValues", new
        {
            connectorId = 1, transactionId = txA,
            meterValue = new[] { new { timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow), sampledValue = new[]
            {
                new { value = "5000", measurand = "Energy.Active.Import.Register", unit = "Wh" },
            } } },
        });
        int seenA = Count(a), seenB = Count(b);
        await a.CallAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "SuspendedEV" });

        Assert.Equal(0, await ReceivedLimitAsync(a, l => l == 0, "A is planned at 0 once full", seenA));
        Assert.Equal(22000, await ReceivedLimitAsync(b, l => l == 22000, "B gets A's power", seenB));
        var used = await DefaultsAsync(network.Id(), d => d.Any(x => (string?)x["source"] == "evStopped"));
        var full = Assert.Single(used, x => (string?)x["source"] == "evStopped");
        Assert.Equal(0, (double)full["energyNeedKwh"]!);
        Assert.Equal(5, (double)full["deliveredKwh"]!, 3);

        // The car draws again (its charger says Charging): its need is unknown again and it shares once more.
        seenA = Count(a);
        await a.CallAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Charging" });
        Assert.Equal(14700, await ReceivedLimitAsync(a, l => l == 14700, "A shares again", seenA));
        a.AssertNoComplaints();
        b.AssertNoComplaints();
    }

    private async Task<NodeCharger> ChargerAsync(string ocppId)
    {
        var charger = await fixture.Host.ConnectAsync($"/ocpp/{ocppId}");
        await charger.HandleAsync("SetChargingProfile", new { status = "Accepted" });
        await charger.BootAsync();
        return charger;
    }

    private static async Task<long> StartAsync(NodeCharger charger) =>
        (long)(await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "FULL", meterStart = 0, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) }))["transactionId"]!;

    private static int Count(NodeCharger charger)
    {
        lock (charger.Events) return charger.Events.Count;
    }

    /// <summary>The first-period limit (W) of the next SetChargingProfile after the first <paramref name="after"/> events.</summary>
    private static async Task<double> ReceivedLimitAsync(NodeCharger charger, Func<double, bool> condition, string what, int after = 0)
    {
        var received = await charger.WaitForAsync(e => (string?)e["event"] == "received" && (string?)e["action"] == "SetChargingProfile"
            && condition(FirstLimit(e)) && IndexOf(charger, e) >= after, what);
        return FirstLimit(received);
    }

    private static int IndexOf(NodeCharger charger, JObject e)
    {
        lock (charger.Events) return charger.Events.FindIndex(x => ReferenceEquals(x, e));
    }

    private static double FirstLimit(JObject received) =>
        (double)received["payload"]!["csChargingProfiles"]!["chargingSchedule"]!["chargingSchedulePeriod"]![0]!["limit"]!;

    /// <summary>details.defaults of the newest Optimization event of the network that matches.</summary>
    private async Task<JArray> DefaultsAsync(string network, Func<JArray, bool> match)
    {
        static JArray Of(JToken e) => (e["details"] is JObject d ? d : JObject.Parse((string)e["details"]!))["defaults"] as JArray ?? [];
        var events = await OcppKit.EventuallyAsync(() => Api.Get($"/v2/events?network={network}&category=Optimization&limit=100"),
            r => r.Data.Any(e => e["details"] is { Type: not JTokenType.Null } && match(Of(e))), "optimization event");
        return Of(events.Data.First(e => e["details"] is { Type: not JTokenType.Null } && match(Of(e))));
    }
}
