using Cms.IntegrationTests.Harness;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Ocpp.Proxy;

/// <summary>
/// The upstream answers a charger call with a CALLERROR: the charger gets it, the log shows it under External, an
/// ocpp_event says so, and AmpCMS's records follow the refusal (no session the upstream refused stays open).
/// </summary>
public sealed class ProxyRefusalTests : IAsyncLifetime
{
    TestHost _host = null!;
    NodeUpstream _upstream = null!;

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartAsync(null, "--Ocpp:Proxy:ReconnectMin=00:00:00.200", "--Ocpp:Proxy:ReconnectMax=00:00:01");
        if (NodeCharger.SkipReason is not null) return;
        _upstream = await NodeUpstream.StartAsync(txStart: 60000);
        await ProxyKit.ProxyToAsync(_host, _upstream);
    }

    public async Task DisposeAsync()
    {
        if (_upstream is not null) await _upstream.DisposeAsync();
        await _host.DisposeAsync();
    }

    async Task<JArray> SessionsAsync(string cpId)
    {
        var network = (string)(await _host.Admin.GetOne($"/v2/charge_points/{cpId}"))["networkId"]!;
        return (await _host.Admin.Get($"/v2/charging_sessions?network={network}&chargepoint={cpId}")).Data;
    }

    [NodeFact]
    public async Task A_refused_StartTransaction_reaches_the_charger_as_the_upstreams_CALLERROR_and_opens_no_session()
    {
        var (cpId, ocppId, charger) = await ProxyKit.ProxiedChargerAsync(_host, _upstream, "refused16");
        await using var _ = charger;
        await charger.CallAsync("BootNotification", new { chargePointVendor = "ProxyVendor", chargePointModel = "P-1" });

        await _upstream.RefuseAsync("StartTransaction", "SecurityError");
        var answer = await charger.SendCallAsync("StartTransaction",
            new { connectorId = 1, idTag = "TAG-X", meterStart = 0, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) });
        Assert.True((string?)answer["event"] == "error", answer.ToString(Formatting.None));
        Assert.Contains("SecurityError", answer.ToString(Formatting.None));

        Assert.Empty(await SessionsAsync(cpId));
        var refusal = await ProxyKit.EventAsync(_host, ocppId, "upstream CMS refused StartTransaction (SecurityError");
        Assert.Contains("opened no session", (string?)refusal["description"]);
        await OcppKit.EventuallyAsync(() => _host.Admin.Get($"/v2/ocpp_messages?chargepoint={cpId}&limit=1000"),
            r => r.Data.Any(m => (string?)m["source"] == "External" && (string?)m["messageType"] == "CallError" && (string?)m["operationType"] == "StartTransaction"),
            "the CALLERROR under External in the log");

        // The charger resends; the upstream accepts it this time and the session opens under the upstream's id.
        var txId = (long)(await charger.CallAsync("StartTransaction",
            new { connectorId = 1, idTag = "TAG-X", meterStart = 0, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) }))["transactionId"]!;
        Assert.Equal(txId, (long)Assert.Single(await SessionsAsync(cpId))["transactionId"]!);
        charger.AssertNoComplaints();
    }

    [NodeFact]
    public async Task A_2_0_1_transaction_whose_start_the_upstream_refused_opens_no_session_even_when_later_events_are_accepted()
    {
        var (cpId, ocppId, station) = await ProxyKit.ProxiedChargerAsync(_host, _upstream, "refused201", "ocpp2.0.1");
        await using var _ = station;
        await station.CallAsync("BootNotification", new { reason = "PowerUp", chargingStation = new { model = "S-201", vendorName = "ProxyVendor" } });
        var txId = "rf-" + Guid.NewGuid().ToString("N")[..8];

        await _upstream.RefuseAsync("TransactionEvent", "GenericError");
        var started = await station.SendCallAsync("TransactionEvent", new
        {
            eventType = "Started", timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow), triggerReason = "Authorized", seqNo = 0,
            transactionInfo = new { transactionId = txId, chargingState = "Charging" }, idToken = Ocpp201Station.IdToken("TAG-Y"), evse = new { id = 1, connectorId = 1 },
        });
        Assert.True((string?)started["event"] == "error", started.ToString(Formatting.None));
        await Ocpp201Station.TransactionEventAsync(station, "Updated", txId, 1, "MeterValuePeriodic", "Charging", null,
            Ocpp201Station.Meter(Ocpp201Station.Sample(4.2, "Power.Active.Import", "kW")));
        await _upstream.ReceivedAsync(ocppId, "TransactionEvent");

        Assert.Empty(await SessionsAsync(cpId));
        await ProxyKit.EventAsync(_host, ocppId, "opens no session for this transaction");
        station.AssertNoComplaints();
    }

    [NodeFact]
    public async Task A_session_AmpCMS_opened_during_an_outage_is_closed_when_the_upstream_refuses_its_queued_start()
    {
        var (cpId, ocppId, charger) = await ProxyKit.ProxiedChargerAsync(_host, _upstream, "refusedq");
        await using var _ = charger;
        await charger.CallAsync("BootNotification", new { chargePointVendor = "ProxyVendor", chargePointModel = "P-1" });
        await ProxyKit.OutageAsync(_host, _upstream, ocppId);

        var localTx = (long)(await charger.CallAsync("StartTransaction",
            new { connectorId = 1, idTag = "TAG-Q", meterStart = 0, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) }))["transactionId"]!;
        var session = (JObject)Assert.Single(await SessionsAsync(cpId));
        Assert.Equal(localTx, (long)session["transactionId"]!);
        Assert.Equal(JTokenType.Null, session["sessionEnd"]!.Type);

        await _upstream.RefuseAsync("StartTransaction", "SecurityError");
        await _upstream.SendAsync(new { start = true });
        await _upstream.WaitForAsync(e => (string?)e["event"] == "refused" && (string?)e["identity"] == ocppId, "the queued start refused");
        await OcppKit.EventuallyAsync(() => _host.Admin.GetOne($"/v2/charging_sessions/{session.Id()}"),
            s => s["sessionEnd"]!.Type != JTokenType.Null, "the refused session closed");
        var refusal = await ProxyKit.EventAsync(_host, ocppId, "refused the queued StartTransaction (SecurityError");
        Assert.Contains("is closed (stopReason DeAuthorized)", (string?)refusal["description"]);
        charger.AssertNoComplaints();
    }
}
