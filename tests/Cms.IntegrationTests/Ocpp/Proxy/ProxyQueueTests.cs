using Cms.IntegrationTests.Harness;
using Cms.Ocpp.Proxy;
using Cms.Ocpp.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Ocpp.Proxy;

/// <summary>
/// The outage queue is durable and bounded: what AmpCMS answered while the upstream was away reaches the upstream in
/// order even after the charger left or the host restarted, and a full queue drops meter-only frames with an ocpp_event.
/// </summary>
public sealed class ProxyQueueTests : IAsyncLifetime
{
    NodeUpstream _upstream = null!;

    public async Task InitializeAsync()
    {
        if (NodeCharger.SkipReason is null) _upstream = await NodeUpstream.StartAsync(txStart: 80000);
    }

    public async Task DisposeAsync()
    {
        if (_upstream is not null) await _upstream.DisposeAsync();
    }

    static readonly string[] FastReconnect = ["--Ocpp:Proxy:ReconnectMin=00:00:00.200", "--Ocpp:Proxy:ReconnectMax=00:00:01"];

    async Task UpstreamBackAsync()
    {
        await _upstream.SendAsync(new { start = true });
        await _upstream.WaitForAsync(e => (string?)e["event"] == "listening", "listening again");
    }

    [NodeFact]
    public async Task A_charger_that_leaves_during_an_outage_still_has_its_queue_replayed_when_the_upstream_returns()
    {
        await using var host = await TestHost.StartAsync(null, FastReconnect);
        await ProxyKit.ProxyToAsync(host, _upstream);
        var (cpId, ocppId, charger) = await ProxyKit.ProxiedChargerAsync(host, _upstream, "leaves");
        await using var _ = charger;
        await charger.CallAsync("BootNotification", new { chargePointVendor = "ProxyVendor", chargePointModel = "P-1" });
        var txId = (long)(await charger.CallAsync("StartTransaction",
            new { connectorId = 1, idTag = "TAG-L", meterStart = 0, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) }))["transactionId"]!;

        await ProxyKit.OutageAsync(host, _upstream, ocppId);
        await charger.CallAsync("MeterValues", ProxyKit.MeterValues(txId, "100"));
        await charger.CallAsync("MeterValues", ProxyKit.MeterValues(txId, "200"));
        await charger.CallAsync("StopTransaction", new { transactionId = txId, meterStop = 300, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) });
        await charger.DisposeAsync();

        // The charger is gone; its relay keeps the queue until the upstream is back.
        var relays = host.Services.GetRequiredService<ProxyConnectionEvents>();
        await OcppKit.EventuallyAsync(() => Task.FromResult(relays.DrainingCount), n => n == 1, "a relay replaying the queue");
        var before = _upstream.Received(ocppId).Count;
        await UpstreamBackAsync();
        await _upstream.ReceivedAsync(ocppId, "StopTransaction");
        var replayed = _upstream.Received(ocppId).Skip(before).ToList();
        Assert.Equal(["MeterValues", "MeterValues", "StopTransaction"], replayed.Select(e => (string)e["action"]!));
        Assert.Equal(["100", "200"], replayed.Take(2).Select(ProxyKit.MeterValue));
        Assert.All(replayed, e => Assert.Equal(txId, (long)e["payload"]!["transactionId"]!));

        // Replayed, the relay closes its upstream connection.
        await _upstream.WaitForAsync(e => (string?)e["event"] == "disconnected" && (string?)e["identity"] == ocppId, "upstream disconnect after the replay");
        await OcppKit.EventuallyAsync(() => Task.FromResult(relays.DrainingCount), n => n == 0, "no relay left");
        var log = await host.Admin.Get($"/v2/ocpp_messages?chargepoint={cpId}&limit=1000");
        Assert.Equal(3, log.Data.Count(m => (string?)m["source"] == "AmpCMS_queued" && (string?)m["messageType"] == "Call"));
    }

    [NodeFact]
    public async Task A_charger_that_comes_back_takes_its_queue_over_and_nothing_is_sent_twice()
    {
        await using var host = await TestHost.StartAsync(null, FastReconnect);
        await ProxyKit.ProxyToAsync(host, _upstream);
        var (_, ocppId, charger) = await ProxyKit.ProxiedChargerAsync(host, _upstream, "returns");
        await using var _ = charger;
        await charger.CallAsync("BootNotification", new { chargePointVendor = "ProxyVendor", chargePointModel = "P-1" });
        var txId = (long)(await charger.CallAsync("StartTransaction",
            new { connectorId = 1, idTag = "TAG-B", meterStart = 0, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) }))["transactionId"]!;
        await ProxyKit.OutageAsync(host, _upstream, ocppId);
        await charger.CallAsync("MeterValues", ProxyKit.MeterValues(txId, "1"));
        await charger.CallAsync("MeterValues", ProxyKit.MeterValues(txId, "2"));
        await charger.DisposeAsync();
        var relays = host.Services.GetRequiredService<ProxyConnectionEvents>();
        await OcppKit.EventuallyAsync(() => Task.FromResult(relays.DrainingCount), n => n == 1, "a relay replaying the queue");

        // The charger is back before the upstream: its new connection owns the queue.
        await using var again = await host.ConnectAsync($"ocpp/default/{ocppId}", ProxyKit.Secret);
        await OcppKit.EventuallyAsync(() => Task.FromResult(relays.DrainingCount), n => n == 0, "the old relay handing over");
        await again.CallAsync("MeterValues", ProxyKit.MeterValues(txId, "3"));
        var before = _upstream.Received(ocppId).Count;
        await UpstreamBackAsync();
        await again.CallAsync("StopTransaction", new { transactionId = txId, meterStop = 4, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) });
        await _upstream.ReceivedAsync(ocppId, "StopTransaction");
        var replayed = _upstream.Received(ocppId).Skip(before).ToList();
        Assert.Equal(["MeterValues", "MeterValues", "MeterValues", "StopTransaction"], replayed.Select(e => (string)e["action"]!));
        Assert.Equal(["1", "2", "3"], replayed.Take(3).Select(ProxyKit.MeterValue));
        again.AssertNoComplaints();
    }

    [NodeFact]
    public async Task A_queue_survives_a_host_restart_and_is_replayed_before_the_reconnected_chargers_new_frames()
    {
        await using var store = await TestStore.CreateAsync();
        string[] args = [.. FastReconnect, .. store.Args];
        string ocppId;
        long txId;
        await using (var first = await TestHost.StartAsync(null, args))
        {
            await ProxyKit.ProxyToAsync(first, _upstream);
            var (_, id, charger) = await ProxyKit.ProxiedChargerAsync(first, _upstream, "restart");
            ocppId = id;
            await using var _ = charger;
            await charger.CallAsync("BootNotification", new { chargePointVendor = "ProxyVendor", chargePointModel = "P-1" });
            txId = (long)(await charger.CallAsync("StartTransaction",
                new { connectorId = 1, idTag = "TAG-R", meterStart = 0, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) }))["transactionId"]!;
            await ProxyKit.OutageAsync(first, _upstream, ocppId);
            await charger.CallAsync("MeterValues", ProxyKit.MeterValues(txId, "10"));
            await charger.CallAsync("MeterValues", ProxyKit.MeterValues(txId, "20"));
        }

        // A new host on the same store, the upstream back, and the charger reconnecting with a new frame.
        var before = _upstream.Received(ocppId).Count;
        await UpstreamBackAsync();
        await using var second = await TestHost.StartAsync(null, args);
        await using var again = await second.ConnectAsync($"ocpp/default/{ocppId}", ProxyKit.Secret);
        await again.CallAsync("StopTransaction", new { transactionId = txId, meterStop = 30, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) });
        await _upstream.ReceivedAsync(ocppId, "StopTransaction");
        var replayed = _upstream.Received(ocppId).Skip(before).ToList();
        Assert.Equal(["MeterValues", "MeterValues", "StopTransaction"], replayed.Select(e => (string)e["action"]!));
        Assert.Equal(["10", "20"], replayed.Take(2).Select(ProxyKit.MeterValue));
        Assert.All(replayed, e => Assert.Equal(txId, (long)e["payload"]!["transactionId"]!));
        again.AssertNoComplaints();
    }

    [NodeFact]
    public async Task A_full_queue_drops_the_oldest_meter_values_keeps_the_transaction_start_and_says_so()
    {
        await using var host = await TestHost.StartAsync(null, [.. FastReconnect, "--Ocpp:Proxy:QueueLimit=3"]);
        await ProxyKit.ProxyToAsync(host, _upstream);
        var (_, ocppId, charger) = await ProxyKit.ProxiedChargerAsync(host, _upstream, "full");
        await using var _ = charger;
        await charger.CallAsync("BootNotification", new { chargePointVendor = "ProxyVendor", chargePointModel = "P-1" });

        await ProxyKit.OutageAsync(host, _upstream, ocppId);
        var localTx = (long)(await charger.CallAsync("StartTransaction",
            new { connectorId = 1, idTag = "TAG-F", meterStart = 0, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) }))["transactionId"]!;
        foreach (var value in new[] { "1", "2", "3", "4" })
            await charger.CallAsync("MeterValues", ProxyKit.MeterValues(localTx, value));
        var full = await ProxyKit.EventAsync(host, ocppId, "proxy outage queue full (3 frames)");
        Assert.Equal("Warning", (string?)full["urgency"]);

        var before = _upstream.Received(ocppId).Count;
        await UpstreamBackAsync();
        await ProxyKit.EventAsync(host, ocppId, "2 frames were dropped");
        var replayed = _upstream.Received(ocppId).Skip(before).ToList();
        Assert.Equal(["StartTransaction", "MeterValues", "MeterValues"], replayed.Select(e => (string)e["action"]!));
        Assert.Equal(["3", "4"], replayed.Skip(1).Select(ProxyKit.MeterValue));
        // The upstream's own id replaces AmpCMS's in the meter values it receives.
        var upstreamTx = (long)replayed[0]["answer"]!["transactionId"]!;
        Assert.All(replayed.Skip(1), e => Assert.Equal(upstreamTx, (long)e["payload"]!["transactionId"]!));
        charger.AssertNoComplaints();
    }
}
