using Cms.Core.Storage;
using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Cms.IntegrationTests.Live;

/// <summary>A process that ends without seeing its chargers go (crash, kill) leaves them ONLINE: the next start puts that right.</summary>
public sealed class OnlineRecoveryTests
{
    [Fact]
    public async Task A_charger_left_ONLINE_by_a_dead_process_is_OFFLINE_after_a_restart_with_a_CHARGER_DISCONNECTED_alert()
    {
        await using var store = await TestStore.CreateAsync();
        var storage = store.Args;
        {
            string networkId, seenId, integratorId;
            DateTimeOffset connectedAt;
            await using (var first = await TestHost.StartAsync(null, storage))
            {
                var network = await first.Admin.Network();
                networkId = network.Id();
                seenId = (await first.Admin.ChargePoint(networkId)).Id();
                // An integrator's charge point reports its own onlineStatus and was never connected over OCPP: left alone.
                integratorId = (await first.Admin.Create("/v2/charge_points/", new { name = "ext", maxCapacity = 22, networkId, onlineStatus = "ONLINE" })).Id();
                connectedAt = DateTimeOffset.UtcNow;
                // What a process that died while the charger was connected leaves behind.
                await first.Services.GetRequiredService<Database>().WriteAsync((conn, tx) => conn.ExecuteAsync(
                    "UPDATE charge_points SET \"onlineStatus\" = 'ONLINE' WHERE id = @seenId; " +
                    "INSERT INTO status_history (id, customerId, \"networkId\", \"chargePointId\", \"kind\", \"status\", \"at\") " +
                    "SELECT @hid, customerId, \"networkId\", id, 'online', 'ONLINE', @at FROM charge_points WHERE id = @seenId",
                    new { seenId, hid = Guid.NewGuid().ToString(), at = Cms.Core.Resources.Iso.Format(connectedAt) }, tx));
            }

            await using var second = await TestHost.StartAsync(null, storage);
            var api = second.Admin;
            var seen = await api.GetOne($"/v2/charge_points/{seenId}");
            Assert.Equal("OFFLINE", (string?)seen["onlineStatus"]);
            Assert.Equal("ONLINE", (string?)(await api.GetOne($"/v2/charge_points/{integratorId}"))["onlineStatus"]);
            var alert = await OcppKit.EventuallyAsync(async () => await api.Get($"/v2/alerts?network={networkId}&name=CHARGER_DISCONNECTED"),
                r => r.Total == 1, "CHARGER_DISCONNECTED after the restart");
            Assert.Equal(seenId, (string?)alert.First["charger"]);
            // Connected from connectedAt until the restart, not since.
            var connectivity = await api.Get($"/v2/kpis/connectivity/charge_points?chargepoint={seenId}&start={Uri.EscapeDataString(connectedAt.ToString("O"))}");
            Assert.InRange((double)connectivity.First["connectivity"]!, 0.0001, 0.9999);
        }
    }
}
