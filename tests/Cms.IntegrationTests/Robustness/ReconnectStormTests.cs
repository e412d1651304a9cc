using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;
using Cms.Ocpp.Tests.Support;

namespace Cms.IntegrationTests.Robustness;

/// <summary>
/// A short reconnect storm (bench/Cms.Storm.Bench measures the big ones): unknown chargers admitted by the customer
/// secret all connect at once, vanish, and all come back at once. Every one is re-accepted and none is created twice.
/// </summary>
public sealed class ReconnectStormTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private const int Chargers = 100;

    [Fact]
    public async Task Chargers_that_all_reconnect_at_once_are_all_accepted_once()
    {
        var api = fixture.Host.Admin;
        var network = await api.Network(maxCapacity: 10_000, name: "storm");
        Assert.Equal(201, (await api.Post("/v2/configurations/ocpp_settings", new { secret = "storm-secret-0123", feature = "cms", defaultNetworkId = network.Id() })).Status);
        var ids = Enumerable.Range(0, Chargers).Select(_ => OcppKit.NewOcppId("storm")).ToArray();

        var first = await Task.WhenAll(ids.Select(ConnectAndBootAsync));
        foreach (var client in first) client.Socket.Abort(); // the site loses power: no close handshake
        var again = await Task.WhenAll(ids.Select(ConnectAndBootAsync));

        var chargePoints = await api.Get($"/v2/charge_points?network={network.Id()}&limit=1000");
        Assert.Equal(Chargers, chargePoints.Total);
        Assert.Equal(ids.Order(), chargePoints.Data.Select(cp => (string)cp["ocppId"]!).Order());
        await Task.WhenAll(again.Select(c => c.DisposeAsync().AsTask()));
        foreach (var client in first) client.Socket.Dispose();
    }

    private async Task<WsClient> ConnectAndBootAsync(string ocppId)
    {
        var client = await WsClient.ConnectAsync(fixture.Host.OcppUri($"ocpp/{ocppId}"), ["ocpp1.6"], (ocppId, "storm-secret-0123"));
        var answer = await client.CallAsync("boot", "BootNotification", """{"chargePointVendor":"Storm","chargePointModel":"smoke"}""");
        Assert.Equal("Accepted", (string?)answer[2]!["status"]);
        return client;
    }
}
