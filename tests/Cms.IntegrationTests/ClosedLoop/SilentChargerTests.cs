using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;

namespace Cms.IntegrationTests.ClosedLoop;

/// <summary>A charger that never answers SetChargingProfile: the call times out, is retried and recorded, and the loop goes on.</summary>
public sealed class SilentChargerTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(null, "--Ocpp:CallTimeoutSeconds=1");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_timed_out_delivery_is_retried_and_recorded_as_an_event()
    {
        var api = _host.Admin;
        var network = await api.Network(30);
        var ocppId = OcppKit.NewOcppId("silent");
        var cp = await api.Create("/v2/charge_points", new { name = ocppId, maxCapacity = 22, networkId = network.Id(), ocppId });
        await api.Connector(cp.Id(), 1, 22, "DC", 400);
        await using var charger = await _host.ConnectAsync($"/ocpp/{ocppId}");
        await charger.SendAsync(new { handle = "SetChargingProfile", silent = true });
        await charger.WaitForEventAsync("handling", "SetChargingProfile");
        await charger.BootAsync();
        await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "T", meterStart = 0, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) });

        // Two attempts per delivery, each ending in the 1 s call timeout.
        await charger.WaitForAsync(e => (string?)e["event"] == "received" && (string?)e["action"] == "SetChargingProfile", "first attempt");
        await charger.WaitForAsync(e => (string?)e["event"] == "received" && (string?)e["action"] == "SetChargingProfile", "retry");
        var events = await OcppKit.EventuallyAsync(() => api.Get($"/v2/events?network={network.Id()}&category=Delivery"),
            r => r.Data.Any(e => ((string)e["description"]!).Contains("attempt 2 not accepted: TimedOut")), "timeout recorded");
        Assert.Contains(events.Data, e => ((string)e["description"]!).Contains("attempt 1 not accepted: TimedOut"));
        // The charger itself stays usable.
        Assert.Equal("Accepted", (string?)(await charger.CallAsync("BootNotification", new { chargePointVendor = "V", chargePointModel = "M" }))["status"]);
    }
}
