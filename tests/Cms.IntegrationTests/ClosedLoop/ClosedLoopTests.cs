using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.ClosedLoop;

/// <summary>
/// Issue 5's site: 30 kW, 2 % buffer, three 22 kW DC chargers speaking OCPP 1.6 (ocpp-rpc, strict). What the chargers
/// report reoptimizes the network, and every charger receives its limit as SetChargingProfile.
/// </summary>
public sealed class ClosedLoopTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TestHost Host => fixture.Host;
    private ApiClient Api => fixture.Host.Admin;

    private sealed record Site(string NetworkId, (string ChargePointId, string OcppId)[] ChargePoints);

    private async Task<Site> SiteAsync(int chargers = 3)
    {
        var network = await Api.Network(30);
        var cps = new List<(string, string)>();
        for (var i = 0; i < chargers; i++)
        {
            var ocppId = OcppKit.NewOcppId("loop");
            var cp = await Api.Create("/v2/charge_points", new { name = ocppId, maxCapacity = 22, networkId = network.Id(), ocppId });
            await Api.Connector(cp.Id(), 1, 22, "DC", 400);
            cps.Add((cp.Id(), ocppId));
        }
        return new Site(network.Id(), cps.ToArray());
    }

    private async Task<NodeCharger> ChargerAsync(string ocppId, string answer = "Accepted")
    {
        var charger = await Host.ConnectAsync($"/ocpp/{ocppId}");
        await charger.HandleAsync("SetChargingProfile", new { status = answer });
        await charger.BootAsync();
        return charger;
    }

    private static async Task<long> StartAsync(NodeCharger charger, string idTag = "LOOP") =>
        (long)(await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag, meterStart = 0, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) }))["transactionId"]!;

    /// <summary>The first-period limit (W) of the next SetChargingProfile this charger receives that satisfies the condition.</summary>
    private static int IndexOf(NodeCharger charger, JObject e)
    {
        lock (charger.Events) return charger.Events.FindIndex(x => ReferenceEquals(x, e));
    }

    /// <param name="after">Only events after the first this many the charger reported.</param>
    private static async Task<double> ReceivedLimitAsync(NodeCharger charger, Func<double, bool> condition, string what, int after = 0)
    {
        var received = await charger.WaitForAsync(e => (string?)e["event"] == "received" && (string?)e["action"] == "SetChargingProfile"
            && condition(FirstLimit(e)) && (after == 0 || IndexOf(charger, e) >= after), what);
        var profile = received["payload"]!["csChargingProfiles"]!;
        Assert.Equal("W", (string?)profile["chargingSchedule"]!["chargingRateUnit"]);
        Assert.Equal("TxProfile", (string?)profile["chargingProfilePurpose"]);
        Assert.NotNull(profile["transactionId"]);
        return FirstLimit(received);
    }

    private static double FirstLimit(JObject received) =>
        (double)received["payload"]!["csChargingProfiles"]!["chargingSchedule"]!["chargingSchedulePeriod"]![0]!["limit"]!;

    [Fact]
    public async Task Limits_follow_starts_and_stops_and_never_exceed_the_site()
    {
        var site = await SiteAsync();
        await using var a = await ChargerAsync(site.ChargePoints[0].OcppId);
        await using var b = await ChargerAsync(site.ChargePoints[1].OcppId);

        var txA = await StartAsync(a);
        Assert.Equal(22000, await ReceivedLimitAsync(a, l => l == 22000, "A alone gets its connector maximum"));

        await StartAsync(b);
        var limitB = await ReceivedLimitAsync(b, l => l > 0, "B gets a share");
        var limitA = await ReceivedLimitAsync(a, l => l < 22000, "A is lowered");
        Assert.True(limitA + limitB <= 29400 + 1e-6, $"{limitA} + {limitB} W exceeds 29.4 kW");
        Assert.Equal(14700, limitA, 6);

        await a.CallAsync("StopTransaction", new { transactionId = txA, meterStop = 1000, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) });
        Assert.Equal(22000, await ReceivedLimitAsync(b, l => l == 22000, "B is raised back after A stops"));
        a.AssertNoComplaints();
        b.AssertNoComplaints();
    }

    [Fact]
    public async Task A_higher_priority_session_gets_the_larger_share()
    {
        var site = await SiteAsync(2);
        await using var a = await ChargerAsync(site.ChargePoints[0].OcppId);
        await using var b = await ChargerAsync(site.ChargePoints[1].OcppId);
        var txA = await StartAsync(a);
        await ReceivedLimitAsync(a, l => l == 22000, "A alone");
        await StartAsync(b);
        await ReceivedLimitAsync(a, l => l == 14700, "equal shares first");
        await ReceivedLimitAsync(b, l => l == 14700, "equal shares first");

        var session = (await Api.Get($"/v2/charging_sessions?transaction_id={txA}")).First;
        // Only profiles sent after the change count: a busy host may have sent A's 22 kW twice before B started.
        int seenA, seenB;
        lock (a.Events) seenA = a.Events.Count;
        lock (b.Events) seenB = b.Events.Count;
        await Api.Patch($"/v2/charging_sessions/{session.Id()}", new { priority = 1 });
        var high = await ReceivedLimitAsync(a, l => l > 14700, "A raised by its priority", seenA);
        var low = await ReceivedLimitAsync(b, l => l < 14700, "B lowered", seenB);
        Assert.True(high + low <= 29400 + 1e-6, $"{high} + {low} W exceeds 29.4 kW");
    }

    [Fact]
    public async Task A_charger_that_reconnects_gets_its_profile_again()
    {
        var site = await SiteAsync(1);
        var a = await ChargerAsync(site.ChargePoints[0].OcppId);
        var tx = await StartAsync(a);
        await ReceivedLimitAsync(a, l => l == 22000, "first profile");
        await a.DisposeAsync();
        await OcppKit.EventuallyAsync(() => Api.GetOne($"/v2/charge_points/{site.ChargePoints[0].ChargePointId}"),
            cp => (string?)cp["onlineStatus"] == "OFFLINE", "charger offline");

        await using var again = await ChargerAsync(site.ChargePoints[0].OcppId);
        var received = await again.WaitForAsync(e => (string?)e["event"] == "received" && (string?)e["action"] == "SetChargingProfile", "profile after reconnect");
        Assert.Equal(tx, (long)received["payload"]!["csChargingProfiles"]!["transactionId"]!);
        Assert.Equal(22000, FirstLimit(received));
    }

    [Fact]
    public async Task A_charger_that_keeps_rejecting_is_planned_at_its_maximum_so_the_others_stay_safe()
    {
        var site = await SiteAsync(2);
        await using var good = await ChargerAsync(site.ChargePoints[0].OcppId);
        await using var stubborn = await ChargerAsync(site.ChargePoints[1].OcppId, answer: "Rejected");
        await StartAsync(good);
        await StartAsync(stubborn);
        // Each real change of measured power replans and redelivers; after three refused deliveries the session is flagged.
        for (var i = 0; i < 3; i++)
        {
            await stubborn.WaitForAsync(e => (string?)e["event"] == "replied" && (string?)e["action"] == "SetChargingProfile", $"refusal {i}");
            var watts = (2000 + 7000 * i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await stubborn.CallAsync("MeterValues", new { connectorId = 1, meterValue = new[] { new { timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow), sampledValue = new[] { new { value = watts, measurand = "Power.Active.Import", unit = "W" } } } } });
        }
        // The stubborn charger may draw its 22 kW: the good one keeps the rest, 29.4 − 22 = 7.4 kW.
        Assert.Equal(7400, await ReceivedLimitAsync(good, l => l == 7400, "good charger limited to what is left"), 6);
        var events = await Api.Get($"/v2/events?network={site.NetworkId}&category=Delivery&limit=1000");
        Assert.Contains(events.Data, e => ((string)e["description"]!).Contains("keeps refusing"));
    }

    [Fact]
    public async Task A_charger_that_charges_without_StartTransaction_gets_a_session_and_a_limit()
    {
        var site = await SiteAsync(1);
        await using var sneaky = await ChargerAsync(site.ChargePoints[0].OcppId);
        await sneaky.CallAsync("MeterValues", new
        {
            connectorId = 1,
            meterValue = new[] { new { timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow), sampledValue = new[] { new { value = "11000", measurand = "Power.Active.Import", unit = "W" } } } },
        });
        var sessions = await Api.Get($"/v2/charging_sessions?network={site.NetworkId}");
        Assert.Equal(1, sessions.Total);
        Assert.Equal(11.0, (double)sessions.First["currentChargingLoad"]!, 6);
        var received = await sneaky.WaitForAsync(e => (string?)e["event"] == "received" && (string?)e["action"] == "SetChargingProfile", "profile");
        // Without a transaction id a TxProfile is not allowed: the limit goes out as the connector's default profile.
        Assert.Equal("TxDefaultProfile", (string?)received["payload"]!["csChargingProfiles"]!["chargingProfilePurpose"]);
    }

    [Fact]
    public async Task An_ampere_preset_delivers_amperes_from_P_equals_PCF_PF_I_V()
    {
        var network = await Api.Network(30);
        var ocppId = OcppKit.NewOcppId("amps");
        var cp = await Api.Create("/v2/charge_points", new { name = ocppId, maxCapacity = 22, networkId = network.Id(), ocppId });
        await Api.Create("/v2/connectors", new { chargePointId = cp.Id(), connectorId = 1, maxCapacity = 11, currentType = "AC_phase3_LN", voltage = 230, powerFactor = 0.95 });
        var config = await Api.Post($"/v2/configurations/?network={network.Id()}", new { deliveryOptions = new { TxProfile = "ampcontrol-sequential-ampere-TxProfile" } });
        Assert.Equal(201, config.Status);

        await using var charger = await ChargerAsync(ocppId);
        await StartAsync(charger);
        var received = await charger.WaitForAsync(e => (string?)e["event"] == "received" && (string?)e["action"] == "SetChargingProfile", "ampere profile");
        var schedule = received["payload"]!["csChargingProfiles"]!["chargingSchedule"]!;
        Assert.Equal("A", (string?)schedule["chargingRateUnit"]);
        // 11 kW = 3 × 0.95 × I × 230 V / 1000  →  I = 16.78 A, floored to OCPP's 0.1 A.
        Assert.Equal(16.7, (double)schedule["chargingSchedulePeriod"]![0]!["limit"]!, 6);
        charger.AssertNoComplaints();
    }

    [Fact]
    public async Task Sequential_delivery_never_lets_the_limits_in_force_exceed_the_site()
    {
        var site = await SiteAsync(3);
        await Api.Post($"/v2/configurations/?network={site.NetworkId}", new { deliveryOptions = new { TxProfile = "ampcontrol-squential-TxProfile" } });
        var chargers = new List<NodeCharger>();
        try
        {
            foreach (var (_, ocppId) in site.ChargePoints) chargers.Add(await ChargerAsync(ocppId));
            var txA = await StartAsync(chargers[0]);
            await ReceivedLimitAsync(chargers[0], l => l == 22000, "A alone");
            await StartAsync(chargers[1]);
            await ReceivedLimitAsync(chargers[1], l => l == 14700, "B shares");
            await StartAsync(chargers[2]);
            await ReceivedLimitAsync(chargers[2], l => l == 9800, "C shares");
            await chargers[0].CallAsync("StopTransaction", new { transactionId = txA, meterStop = 0, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) });
            await ReceivedLimitAsync(chargers[2], l => l == 14700, "C raised after A stops");

            // Replay the server's own log: a raise counts from the moment it is sent, a lowering only once accepted,
            // and a stopped transaction ends its charger's limit.
            var query = string.Join("&", site.ChargePoints.Select(c => "chargepoint=" + c.ChargePointId));
            var log = (await Api.Get($"/v2/ocpp_messages?{query}&operationType=SetChargingProfile&operationType=StopTransaction&sort=timestamp:asc&limit=1000")).Data;
            var sent = new Dictionary<string, (string ChargePoint, double Limit)>();
            var inForce = new Dictionary<string, double>();
            var deliveries = 0;
            foreach (var frame in log)
            {
                var body = (JArray)frame["body"]!;
                var chargePoint = (string)frame["chargePointId"]!;
                if ((string?)frame["operationType"] == "StopTransaction")
                {
                    if ((string?)frame["messageType"] == "Call") inForce[chargePoint] = 0;
                }
                else if ((string?)frame["messageType"] == "Call")
                {
                    var limit = (double)body[3]["csChargingProfiles"]!["chargingSchedule"]!["chargingSchedulePeriod"]![0]!["limit"]!;
                    sent[(string)body[1]!] = (chargePoint, limit);
                    if (limit > inForce.GetValueOrDefault(chargePoint)) inForce[chargePoint] = limit;
                }
                else if ((string?)frame["messageType"] == "CallResult" && sent.TryGetValue((string)body[1]!, out var call))
                {
                    inForce[call.ChargePoint] = call.Limit;
                    deliveries++;
                }
                Assert.True(inForce.Values.Sum() <= 29400 + 1e-6, $"limits in force {string.Join(" + ", inForce.Values)} W exceed 29.4 kW at {frame["timestamp"]}");
            }
            Assert.True(deliveries >= 6, $"only {deliveries} deliveries were logged");
        }
        finally
        {
            foreach (var c in chargers) await c.DisposeAsync();
        }
    }

    [Fact]
    public async Task Reserved_power_is_held_for_an_idle_connector_as_its_TxDefaultProfile()
    {
        var site = await SiteAsync(2);
        await Api.Patch($"/v2/networks/{site.NetworkId}", new { maxCapacity = 20, reservedPower = 3 });
        await using var busy = await ChargerAsync(site.ChargePoints[0].OcppId);
        await using var idle = await ChargerAsync(site.ChargePoints[1].OcppId);
        await StartAsync(busy);

        // 20 kW less 2 % is 19.6; 3 kW stay free for the idle connector.
        var charging = await busy.WaitForAsync(e => (string?)e["event"] == "received" && (string?)e["action"] == "SetChargingProfile"
            && (string?)e["payload"]!["csChargingProfiles"]!["chargingProfilePurpose"] == "TxProfile" && FirstLimit(e) == 16600, "16.6 kW for the session");
        Assert.NotNull(charging);
        var reserve = await idle.WaitForAsync(e => (string?)e["event"] == "received" && (string?)e["action"] == "SetChargingProfile", "reserve");
        var profile = reserve["payload"]!["csChargingProfiles"]!;
        Assert.Equal("TxDefaultProfile", (string?)profile["chargingProfilePurpose"]);
        Assert.Equal(1, (int)profile["stackLevel"]!);
        Assert.Equal(1, (int)reserve["payload"]!["connectorId"]!);
        Assert.Equal(3000, FirstLimit(reserve));
        idle.AssertNoComplaints();
    }
}
