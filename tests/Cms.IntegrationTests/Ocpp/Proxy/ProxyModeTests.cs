using Cms.IntegrationTests.Harness;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Ocpp.Proxy;

/// <summary>
/// Proxy mode end to end: ocpp-rpc chargers (strict mode) connect to the real host, whose customer has feature proxy and
/// targetCmsUrl pointing at upstream.js, a third-party CMS (ocpp-rpc RPCServer, strict mode) with its own transaction ids.
/// </summary>
public sealed class ProxyModeTests : IAsyncLifetime
{
    const string Secret = ProxyKit.Secret;
    TestHost _host = null!;
    NodeUpstream _upstream = null!;
    ApiClient Api => _host.Admin;

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartAsync(null, "--Ocpp:Proxy:ReconnectMin=00:00:00.200", "--Ocpp:Proxy:ReconnectMax=00:00:01");
        if (NodeCharger.SkipReason is not null) return;
        _upstream = await NodeUpstream.StartAsync(txStart: 70000);
        await ProxyKit.ProxyToAsync(_host, _upstream);
    }

    public async Task DisposeAsync()
    {
        if (_upstream is not null) await _upstream.DisposeAsync();
        await _host.DisposeAsync();
    }

    async Task<(string ChargePointId, string OcppId, NodeCharger Charger)> ProxiedChargerAsync(string protocol = "ocpp1.6")
    {
        var (_, cpId, ocppId) = await OcppKit.ChargePointAsync(Api, "proxied");
        var charger = await _host.ConnectAsync($"ocpp/default/{ocppId}", Secret, protocol);
        var connected = await _upstream.WaitForAsync(e => (string?)e["event"] == "connected" && (string?)e["identity"] == ocppId, "upstream connection");
        // The charger's Basic credentials and subprotocol are forwarded as they are.
        Assert.Equal(Secret, (string?)connected["password"]);
        Assert.Equal(protocol, (string?)connected["protocol"]);
        return (cpId, ocppId, charger);
    }

    [NodeFact]
    public async Task A_proxied_charger_is_served_by_the_upstream_while_AmpCMS_keeps_its_domain_and_adds_its_own_calls()
    {
        var (cpId, ocppId, charger) = await ProxiedChargerAsync();
        await using var _ = charger;

        // Boot: the upstream's answer (interval 777) reaches the charger; AmpCMS records the boot data.
        var boot = await charger.CallAsync("BootNotification", new { chargePointVendor = "ProxyVendor", chargePointModel = "P-1" });
        Assert.Equal(777, (int)boot["interval"]!);
        await _upstream.ReceivedAsync(ocppId, "BootNotification");
        await OcppKit.EventuallyAsync(() => Api.GetOne($"/v2/charge_points/{cpId}"), cp => (string?)cp["vendor"] == "ProxyVendor", "boot data");
        await charger.CallAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Preparing" });

        // StartTransaction: the upstream's transaction id, and AmpCMS's session under it.
        var start = await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "TAG-P", meterStart = 1000, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) });
        var txId = (long)start["transactionId"]!;
        Assert.Equal((long)(await _upstream.ReceivedAsync(ocppId, "StartTransaction"))["answer"]!["transactionId"]!, txId);
        var session = (await Api.Get($"/v2/charging_sessions?transaction_id={txId}")).First;
        Assert.Equal(cpId, (string?)session["chargePointId"]);

        // MeterValues reach both sides; the session shows the measured power.
        await charger.CallAsync("MeterValues", new
        {
            connectorId = 1, transactionId = txId,
            meterValue = new[] { new { timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow), sampledValue = new[] { new { value = "7.4", measurand = "Power.Active.Import", unit = "kW" } } } },
        });
        Assert.Equal(txId, (long)(await _upstream.ReceivedAsync(ocppId, "MeterValues"))["payload"]!["transactionId"]!);
        await OcppKit.EventuallyAsync(() => Api.GetOne($"/v2/charging_sessions/{session.Id()}"),
            s => s["currentChargingLoad"] is { Type: JTokenType.Float or JTokenType.Integer } load && Math.Abs((double)load - 7.4) < 1e-6, "measured power");

        // AmpCMS's own SetChargingProfile reaches the charger; neither it nor its answer reaches the upstream.
        await charger.HandleAsync("SetChargingProfile", new { status = "Accepted" });
        var profile = await Api.Post("/v2/ocpp_messages/", new JObject
        {
            ["chargePointId"] = cpId, ["sendToCharger"] = true,
            ["body"] = JArray.Parse("""
                [2,"rest-1","SetChargingProfile",{"connectorId":1,"csChargingProfiles":{"chargingProfileId":7,"stackLevel":1,"chargingProfilePurpose":"TxDefaultProfile",
                 "chargingProfileKind":"Absolute","chargingSchedule":{"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":11000}]}}}]
                """),
        });
        Assert.True(profile.Status == 200, profile.ToString());
        Assert.Equal("Answered", (string?)profile.First["messages"]![0]!["status"]);
        var received = await charger.WaitForEventAsync("received", "SetChargingProfile");
        Assert.StartsWith("amp-", (string?)received["messageId"]);

        // The upstream's GetConfiguration reaches the charger and the answer returns upstream.
        await charger.HandleAsync("GetConfiguration", new { configurationKey = new[] { new { key = "HeartbeatInterval", @readonly = false, value = "777" } } });
        var config = await _upstream.CallAsync(ocppId, "GetConfiguration", new { key = new[] { "HeartbeatInterval" } });
        Assert.True((string?)config["event"] == "result", config.ToString(Formatting.None));
        Assert.Equal("777", (string?)config["payload"]!["configurationKey"]![0]!["value"]);

        // The upstream's own SetChargingProfile (default policy Below) reaches the charger under AmpCMS's stack levels, and
        // with its id (7, the same as AmpCMS's profile above) moved out of AmpCMS's range, so neither replaces the other.
        var upstreamProfile = await _upstream.CallAsync(ocppId, "SetChargingProfile", JObject.Parse("""
            {"connectorId":1,"csChargingProfiles":{"chargingProfileId":7,"stackLevel":5,"chargingProfilePurpose":"TxDefaultProfile",
             "chargingProfileKind":"Absolute","chargingSchedule":{"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":7000}]}}}
            """));
        Assert.Equal("Accepted", (string?)upstreamProfile["payload"]!["status"]);
        var capped = await charger.WaitForAsync(e => (string?)e["event"] == "received" && (string?)e["action"] == "SetChargingProfile"
            && (long?)e["payload"]!["csChargingProfiles"]!["chargingProfileId"] == 7 + Cms.Ocpp.Proxy.UpstreamProfiles.Offset, "upstream profile");
        Assert.Equal(0, (int)capped["payload"]!["csChargingProfiles"]!["stackLevel"]!);
        Assert.False(((string)capped["messageId"]!).StartsWith("amp-", StringComparison.Ordinal));

        // The upstream clears its profile 7 by id: the charger is asked to clear the moved id, never AmpCMS's 7.
        await charger.HandleAsync("ClearChargingProfile", new { status = "Accepted" });
        Assert.Equal("Accepted", (string?)(await _upstream.CallAsync(ocppId, "ClearChargingProfile", new { id = 7 }))["payload"]!["status"]);
        var clear = await charger.WaitForEventAsync("received", "ClearChargingProfile");
        Assert.Equal(7 + Cms.Ocpp.Proxy.UpstreamProfiles.Offset, (long)clear["payload"]!["id"]!);

        // StopTransaction closes AmpCMS's session.
        await charger.CallAsync("StopTransaction", new { transactionId = txId, meterStop = 9000, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) });
        await _upstream.ReceivedAsync(ocppId, "StopTransaction");
        Assert.NotNull((string?)(await Api.GetOne($"/v2/charging_sessions/{session.Id()}"))["sessionEnd"]);

        Assert.DoesNotContain(_upstream.Received(ocppId), e => (string?)e["action"] == "SetChargingProfile");
        lock (_upstream.Events)
            Assert.DoesNotContain(_upstream.Events, e => (string?)e["event"] is "strictValidationFailure" or "badMessage");
        charger.AssertNoComplaints();

        // The message log labels the upstream's frames External.
        var log = await OcppKit.EventuallyAsync(() => Api.Get($"/v2/ocpp_messages?chargepoint={cpId}&limit=1000"),
            r => r.Data.Any(m => (string?)m["source"] == "External" && (string?)m["operationType"] == "GetConfiguration"), "External frames in the log");
        Assert.Contains(log.Data, m => (string?)m["source"] == "Charger");

        // The charger leaves: its upstream connection closes.
        await charger.DisposeAsync();
        await _upstream.WaitForAsync(e => (string?)e["event"] == "disconnected" && (string?)e["identity"] == ocppId, "upstream disconnect");
    }

    [NodeFact]
    public async Task An_upstream_outage_mid_session_loses_nothing_and_the_queue_is_replayed_in_order()
    {
        var (cpId, ocppId, charger) = await ProxiedChargerAsync();
        await using var _ = charger;
        await charger.CallAsync("BootNotification", new { chargePointVendor = "ProxyVendor", chargePointModel = "P-1" });
        var txId = (long)(await charger.CallAsync("StartTransaction",
            new { connectorId = 1, idTag = "TAG-O", meterStart = 0, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) }))["transactionId"]!;
        var sessionId = (await Api.Get($"/v2/charging_sessions?transaction_id={txId}")).First.Id();

        await _upstream.SendAsync(new { stop = true });
        await _upstream.WaitForAsync(e => (string?)e["event"] == "stopped", "upstream stopped");
        await OcppKit.EventuallyAsync(() => Api.Get($"/v2/ocpp_events?chargepoint_serial={ocppId}&limit=1000"),
            r => r.Data.Any(e => ((string?)e["description"] ?? "").Contains("upstream CMS disconnected")), "upstream disconnection event");

        // AmpCMS answers the charger itself during the outage.
        for (var i = 1; i <= 3; i++)
            await charger.CallAsync("MeterValues", new
            {
                connectorId = 1, transactionId = txId,
                meterValue = new[] { new { timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow), sampledValue = new[] { new { value = $"{i * 100}", measurand = "Energy.Active.Import.Register", unit = "Wh" } } } },
            });
        await charger.CallAsync("StopTransaction", new { transactionId = txId, meterStop = 400, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) });
        Assert.NotNull((string?)(await Api.GetOne($"/v2/charging_sessions/{sessionId}"))["sessionEnd"]);

        var before = _upstream.Received(ocppId).Count;
        await _upstream.SendAsync(new { start = true });
        await _upstream.ReceivedAsync(ocppId, "StopTransaction");
        var replayed = _upstream.Received(ocppId).Skip(before).ToList();
        Assert.Equal(["MeterValues", "MeterValues", "MeterValues", "StopTransaction"], replayed.Select(e => (string)e["action"]!));
        Assert.Equal(["100", "200", "300"], replayed.Take(3).Select(e => (string)e["payload"]!["meterValue"]![0]!["sampledValue"]![0]!["value"]!));
        Assert.All(replayed, e => Assert.Equal(txId, (long)e["payload"]!["transactionId"]!));
        var log = await OcppKit.EventuallyAsync(() => Api.Get($"/v2/ocpp_messages?chargepoint={cpId}&limit=1000"),
            r => r.Data.Count(m => (string?)m["source"] == "AmpCMS_queued") >= 4, "AmpCMS_queued frames in the log");
        Assert.NotNull(log);
        charger.AssertNoComplaints();
    }

    [NodeFact]
    public async Task A_transaction_started_while_the_upstream_is_unreachable_is_reconciled_under_the_upstreams_id()
    {
        await _upstream.SendAsync(new { stop = true });
        await _upstream.WaitForAsync(e => (string?)e["event"] == "stopped", "upstream stopped");
        var (_, cpId, ocppId) = await OcppKit.ChargePointAsync(Api, "unreachable");
        await using var charger = await _host.ConnectAsync($"ocpp/default/{ocppId}", Secret);

        // The charger stays connected and AmpCMS answers it itself.
        var boot = await charger.CallAsync("BootNotification", new { chargePointVendor = "ProxyVendor", chargePointModel = "P-1" });
        Assert.NotEqual(777, (int)boot["interval"]!);
        await OcppKit.EventuallyAsync(() => Api.Get($"/v2/ocpp_events?chargepoint_serial={ocppId}&limit=1000"),
            r => r.Data.Any(e => ((string?)e["description"] ?? "").Contains("refused or unreachable")), "upstream refusal event");
        var localTx = (long)(await charger.CallAsync("StartTransaction",
            new { connectorId = 1, idTag = "TAG-U", meterStart = 0, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) }))["transactionId"]!;
        var sessionId = (await Api.Get($"/v2/charging_sessions?transaction_id={localTx}")).First.Id();

        // The upstream comes back: the StartTransaction is replayed and answered with the upstream's own id.
        await _upstream.SendAsync(new { start = true });
        var replayedStart = await _upstream.ReceivedAsync(ocppId, "StartTransaction");
        var upstreamTx = (long)replayedStart["answer"]!["transactionId"]!;
        Assert.NotEqual(localTx, upstreamTx);

        // The charger keeps AmpCMS's id; what reaches the upstream carries the upstream's.
        await charger.CallAsync("MeterValues", new
        {
            connectorId = 1, transactionId = localTx,
            meterValue = new[] { new { timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow), sampledValue = new[] { new { value = "5", measurand = "Power.Active.Import", unit = "kW" } } } },
        });
        Assert.Equal(upstreamTx, (long)(await _upstream.ReceivedAsync(ocppId, "MeterValues"))["payload"]!["transactionId"]!);
        await charger.CallAsync("StopTransaction", new { transactionId = localTx, meterStop = 900, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) });
        Assert.Equal(upstreamTx, (long)(await _upstream.ReceivedAsync(ocppId, "StopTransaction"))["payload"]!["transactionId"]!);
        Assert.NotNull((string?)(await Api.GetOne($"/v2/charging_sessions/{sessionId}"))["sessionEnd"]);
        Assert.Equal(cpId, (string?)(await Api.GetOne($"/v2/charging_sessions/{sessionId}"))["chargePointId"]);
        charger.AssertNoComplaints();
    }

    [NodeFact]
    public async Task With_policy_Block_the_upstreams_charging_profiles_never_reach_the_charger()
    {
        await using var host = await TestHost.StartAsync(null, "--Ocpp:Proxy:ChargingProfilePolicy=Block");
        await ProxyKit.ProxyToAsync(host, _upstream);
        var (_, _, ocppId) = await OcppKit.ChargePointAsync(host.Admin, "blocked");
        await using var charger = await host.ConnectAsync($"ocpp/default/{ocppId}", Secret);
        await _upstream.WaitForAsync(e => (string?)e["event"] == "connected" && (string?)e["identity"] == ocppId, "upstream connection");
        await charger.HandleAsync("SetChargingProfile", new { status = "Accepted" });
        await charger.HandleAsync("GetConfiguration", new { configurationKey = Array.Empty<object>() });

        var set = await _upstream.CallAsync(ocppId, "SetChargingProfile", JObject.Parse("""
            {"connectorId":1,"csChargingProfiles":{"chargingProfileId":5,"stackLevel":0,"chargingProfilePurpose":"TxDefaultProfile",
             "chargingProfileKind":"Absolute","chargingSchedule":{"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":7000}]}}}
            """));
        Assert.Equal("Rejected", (string?)set["payload"]!["status"]);
        var clear = await _upstream.CallAsync(ocppId, "ClearChargingProfile", new { id = 5 });
        Assert.Equal("Unknown", (string?)clear["payload"]!["status"]);
        // Another upstream call still goes through, and the charger saw none of the blocked ones before it.
        Assert.Equal("result", (string?)(await _upstream.CallAsync(ocppId, "GetConfiguration", new { }))["event"]);
        await charger.WaitForEventAsync("received", "GetConfiguration");
        lock (charger.Events)
            Assert.DoesNotContain(charger.Events, e => (string?)e["event"] == "received" && (string?)e["action"] is "SetChargingProfile" or "ClearChargingProfile");
    }

    [NodeFact]
    public async Task A_2_0_1_station_is_proxied_too()
    {
        var (cpId, ocppId, station) = await ProxiedChargerAsync("ocpp2.0.1");
        await using var _ = station;
        var boot = await station.CallAsync("BootNotification", new { reason = "PowerUp", chargingStation = new { model = "S-201", vendorName = "ProxyVendor" } });
        Assert.Equal(777, (int)boot["interval"]!);
        await OcppKit.EventuallyAsync(() => Api.GetOne($"/v2/charge_points/{cpId}"), cp => (string?)cp["vendor"] == "ProxyVendor", "boot data");
        var txId = "px-" + Guid.NewGuid().ToString("N")[..8];
        await Ocpp201Station.TransactionEventAsync(station, "Started", txId, 0, "Authorized", "Charging", Ocpp201Station.IdToken("TAG-2"),
            Ocpp201Station.Meter(Ocpp201Station.Sample(3.3, "Power.Active.Import", "kW")));
        Assert.Equal(txId, (string?)(await _upstream.ReceivedAsync(ocppId, "TransactionEvent"))["payload"]!["transactionInfo"]!["transactionId"]);
        await OcppKit.EventuallyAsync(() => Api.Get($"/v2/charging_sessions?stationTransactionId={txId}"),
            r => r.Data.Any(s => (string?)s["chargePointId"] == cpId), "2.0.1 session");
        station.AssertNoComplaints();
    }
}
