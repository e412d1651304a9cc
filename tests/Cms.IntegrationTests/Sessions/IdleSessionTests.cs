using Cms.IntegrationTests.Harness;
using Microsoft.Extensions.Time.Testing;

namespace Cms.IntegrationTests.Sessions;

/// <summary>closeIdleSessions on fake time: an Available connector with no power for 15 minutes loses its session.</summary>
public sealed class IdleSessionTests
{
    [Fact]
    public async Task A_session_idle_on_an_Available_connector_is_closed_and_a_charging_one_is_not()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 7, 8, 0, 0, TimeSpan.Zero));
        await using var host = await TestHost.StartAsync(time);
        var api = host.Admin;
        var watch = new OptimizationWatch(host);
        var network = await api.Network(30);
        var cp = await api.ChargePoint(network.Id(), maxCapacity: 50);
        var now = time.GetUtcNow().ToString("O");
        await api.Create("/v2/connectors", new { chargePointId = cp.Id(), connectorId = 1, maxCapacity = 22, currentType = "DC", voltage = 400, ocppStatus = "Available", ocppStatusUpdate = now });
        await api.Create("/v2/connectors", new { chargePointId = cp.Id(), connectorId = 2, maxCapacity = 22, currentType = "DC", voltage = 400, ocppStatus = "Charging", ocppStatusUpdate = now });
        var idle = await api.Create("/v2/charging_sessions", new { chargePointId = cp.Id(), connectorId = 1 });
        var charging = await api.Create("/v2/charging_sessions", new { chargePointId = cp.Id(), connectorId = 2 });
        await watch.WaitAsync(network.Id(), r => r.Items.Count == 2);

        var before = watch.Count;
        time.Advance(TimeSpan.FromMinutes(16));
        await watch.WaitAsync(network.Id(), r => r.Items.Count == 1, after: before);

        Assert.False((bool)(await api.Get($"/v2/charging_sessions/{idle.Id()}")).First["active"]!);
        Assert.True((bool)(await api.Get($"/v2/charging_sessions/{charging.Id()}")).First["active"]!);
    }
}
