using Cms.Core.Domain.Delivery;
using Cms.Core.Storage;
using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;
using Cms.Ocpp.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.ClosedLoop;

/// <summary>
/// The limits chargers accepted and the flagged sessions outlive a host restart: a charger that reconnects without
/// booting is not sent its unchanged profile again, and a refusing session stays flagged.
/// </summary>
public sealed class DeliveryRestartTests
{
    private static Task<JObject> ProfileAsync(NodeCharger charger, Func<double, bool> condition, string what) =>
        charger.WaitForAsync(e => (string?)e["event"] == "received" && (string?)e["action"] == "SetChargingProfile" && condition(RestartKit.Limit(e)), what);

    private static Task MeterAsync(NodeCharger charger, int watts) => charger.CallAsync("MeterValues", new
    {
        connectorId = 1,
        meterValue = new[] { new { timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow), sampledValue = new[] { new { value = watts.ToString(System.Globalization.CultureInfo.InvariantCulture), measurand = "Power.Active.Import", unit = "W" } } } },
    });

    [Fact]
    public async Task After_a_restart_a_charger_that_reconnects_without_booting_keeps_its_profile_one_that_reboots_gets_it_again_and_a_refusing_session_stays_flagged()
    {
        await using var store = await TestStore.CreateAsync();
        var storage = store.Args;
        string networkId, goodId = OcppKit.NewOcppId("keep"), stubbornId = OcppKit.NewOcppId("keep"), stubbornSession;
        await using (var first = await TestHost.StartAsync(null, storage))
        {
            var api = first.Admin;
            networkId = (await api.Network(30)).Id();
            var chargePoints = new List<string>();
            foreach (var ocppId in new[] { goodId, stubbornId })
            {
                var cp = await api.Create("/v2/charge_points", new { name = ocppId, maxCapacity = 22, networkId, ocppId });
                await api.Connector(cp.Id(), 1, 22, "DC", 400);
                chargePoints.Add(cp.Id());
            }
            await api.Post($"/v2/configurations/?network={networkId}", new { deliveryOptions = new { TxProfile = "ampcontrol-squential-TxProfile" } });
            await using var good = await RestartKit.ChargerAsync(first, goodId, "Accepted", boot: true);
            await using var stubborn = await RestartKit.ChargerAsync(first, stubbornId, "Rejected", boot: true);
            await good.CallAsync("StartTransaction", new { connectorId = 1, idTag = "KEEP", meterStart = 0, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) });
            await stubborn.CallAsync("StartTransaction", new { connectorId = 1, idTag = "KEEP", meterStart = 0, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) });
            for (var i = 0; i < 3; i++)
            {
                await stubborn.WaitForAsync(e => (string?)e["event"] == "replied" && (string?)e["action"] == "SetChargingProfile", $"refusal {i}");
                await MeterAsync(stubborn, 2000 + 7000 * i);
            }
            // Flagged, the stubborn charger may draw its 22 kW: the good one is limited to 29.4 − 22 = 7.4 kW.
            await ProfileAsync(good, l => l == 7400, "good charger limited to what is left");
            stubbornSession = (await api.Get($"/v2/charging_sessions?network={networkId}")).Data
                .Single(s => (string?)s["chargePointId"] == chargePoints[1])["id"]!.ToString();
            var db = first.Services.GetRequiredService<Database>();
            await OcppKit.EventuallyAsync(() => db.ReadAsync(conn => conn.QueryFirstAsync<(long Flagged, long Limits)>(
                    "SELECT SUM(flagged), SUM(CASE WHEN kw = 7.4 THEN 1 ELSE 0 END) FROM delivery_state WHERE \"networkId\" = @networkId", new { networkId })),
                r => r.Flagged == 1 && r.Limits == 1, "the flag and the accepted limit stored");
        }

        await using var second = await TestHost.StartAsync(null, storage);
        var flags = second.Services.GetRequiredService<DeliveryFlags>();
        await OcppKit.EventuallyAsync(() => Task.FromResult(flags.IsFlagged(stubbornSession)), f => f, "session still flagged after the restart");

        // Both reconnect without booting: the plan is unchanged, so the good charger keeps its 7.4 kW profile.
        await using var stubbornAgain = await RestartKit.ChargerAsync(second, stubbornId, "Rejected", boot: false);
        await using var goodAgain = await RestartKit.ChargerAsync(second, goodId, "Accepted", boot: false);
        await OcppKit.EventuallyAsync(() => second.Admin.Get($"/v2/charge_points?network={networkId}"),
            r => r.Data.All(cp => (string?)cp["onlineStatus"] == "ONLINE"), "both chargers online");
        // A changed plan is still sent: more site capacity raises the good charger to 39.2 − 22 = 17.2 kW, and that is
        // the first profile it receives after the restart (the unchanged 7.4 kW one is not sent again).
        await second.Admin.Patch($"/v2/networks/{networkId}", new { maxCapacity = 40 });
        var received = await ProfileAsync(goodAgain, _ => true, "the changed profile");
        Assert.Equal(17200, RestartKit.Limit(received), 6);
        Assert.True(flags.IsFlagged(stubbornSession));
        // A charger that reboots may have lost its profiles: it gets its unchanged one again.
        await goodAgain.BootAsync();
        Assert.Equal(17200, RestartKit.Limit(await ProfileAsync(goodAgain, _ => true, "the profile again after a reboot")), 6);
        goodAgain.AssertNoComplaints();
    }
}
