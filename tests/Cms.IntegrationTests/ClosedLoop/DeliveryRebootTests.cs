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
/// What delivery remembers per charger, across reboots and host restarts: a connector reserve (TxDefaultProfile) goes
/// to a charger that rebooted again, and refusals below the flagging threshold are not forgotten by a restart.
/// </summary>
public sealed class DeliveryRebootTests
{
    /// <summary>
    /// The next TxDefaultProfile the charger accepted. A profile that arrives before the test has told charger.js how
    /// to answer is refused (as by a charger still booting) and does not count.
    /// </summary>
    private static async Task<JObject> ReserveAsync(NodeCharger charger, string what)
    {
        while (true)
        {
            var replied = await charger.WaitForAsync(e => (string?)e["event"] == "replied" && (string?)e["action"] == "SetChargingProfile", what);
            JObject received;
            lock (charger.Events)
                received = charger.Events.Single(e => (string?)e["event"] == "received" && (string?)e["messageId"] == (string?)replied["messageId"]);
            if ((string?)received["payload"]!["csChargingProfiles"]!["chargingProfilePurpose"] == "TxDefaultProfile")
                return received;
        }
    }

    private static async Task<T> WithStoreAsync<T>(Func<string[], Task<T>> test)
    {
        await using var store = await TestStore.CreateAsync();
        return await test(store.Args);
    }

    [Fact]
    public Task A_charger_that_reboots_gets_its_connector_reserve_again_one_that_only_reconnects_after_a_restart_keeps_it() => WithStoreAsync(async storage =>
    {
        string networkId, chargePointId, connectorId, ocppId = OcppKit.NewOcppId("rsv");
        await using (var first = await TestHost.StartAsync(null, storage))
        {
            var api = first.Admin;
            networkId = (await api.Network(20)).Id();
            await api.Patch($"/v2/networks/{networkId}", new { reservedPower = 3 });
            chargePointId = (await api.Create("/v2/charge_points", new { name = ocppId, maxCapacity = 22, networkId, ocppId })).Id();
            connectorId = (await api.Connector(chargePointId, 1, 22, "DC", 400)).Id();
            await using var idle = await RestartKit.ChargerAsync(first, ocppId, "Accepted", boot: true);
            Assert.Equal(3000, RestartKit.Limit(await ReserveAsync(idle, "the 3 kW reserve")));

            // A reboot: the charger goes away and comes back with a BootNotification, its TxDefaultProfile gone.
            await idle.DisposeAsync();
            await using var rebooted = await RestartKit.ChargerAsync(first, ocppId, "Accepted", boot: true);
            Assert.Equal(3000, RestartKit.Limit(await ReserveAsync(rebooted, "the reserve again after a reboot")));
            rebooted.AssertNoComplaints();
            var db = first.Services.GetRequiredService<Database>();
            await OcppKit.EventuallyAsync(() => db.ReadAsync(conn => conn.QueryFirstOrDefaultAsync<string?>(
                    "SELECT \"chargePointId\" FROM delivery_state WHERE \"key\" = @key AND \"kw\" = 3", new { key = "reserve:" + connectorId })),
                cp => cp == chargePointId, "the accepted reserve stored with its charger");
        }

        await using var second = await TestHost.StartAsync(null, storage);
        var flags = second.Services.GetRequiredService<DeliveryFlags>();
        await OcppKit.EventuallyAsync(() => Task.FromResult(flags.ChargePointOf("reserve:" + connectorId)), cp => cp == chargePointId,
            "the stored reserve loaded");
        // Reconnecting without a boot after the host restarted: the charger still holds its reserve, so the first profile
        // it receives is the changed one (4 kW), not the unchanged 3 kW again.
        await using var back = await RestartKit.ChargerAsync(second, ocppId, "Accepted", boot: false);
        await OcppKit.EventuallyAsync(() => second.Admin.Get($"/v2/charge_points/{chargePointId}"),
            r => (string?)r.Data[0]["onlineStatus"] == "ONLINE", "charger online");
        await second.Admin.Patch($"/v2/networks/{networkId}", new { reservedPower = 4 });
        Assert.Equal(4000, RestartKit.Limit(await ReserveAsync(back, "the changed reserve")));
        // A boot on the same connection, then a full reboot: each time the unchanged reserve is sent again.
        await back.BootAsync();
        Assert.Equal(4000, RestartKit.Limit(await ReserveAsync(back, "the reserve after a BootNotification")));
        await back.DisposeAsync();
        await using var rebootedAgain = await RestartKit.ChargerAsync(second, ocppId, "Accepted", boot: true);
        Assert.Equal(4000, RestartKit.Limit(await ReserveAsync(rebootedAgain, "the reserve after a reboot")));
        rebootedAgain.AssertNoComplaints();
        return 0;
    });

    [Fact]
    public Task Refusals_below_the_flagging_threshold_survive_a_restart() => WithStoreAsync(async storage =>
    {
        string networkId, sessionId, ocppId = OcppKit.NewOcppId("refuse");
        await using (var first = await TestHost.StartAsync(null, storage))
        {
            var api = first.Admin;
            networkId = (await api.Network(30)).Id();
            var cp = await api.Create("/v2/charge_points", new { name = ocppId, maxCapacity = 22, networkId, ocppId });
            await api.Connector(cp.Id(), 1, 22, "DC", 400);
            await using var stubborn = await RestartKit.ChargerAsync(first, ocppId, "Rejected", boot: true);
            await stubborn.CallAsync("StartTransaction", new { connectorId = 1, idTag = "NO", meterStart = 0, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) });
            var db = first.Services.GetRequiredService<Database>();
            sessionId = await OcppKit.EventuallyAsync(() => db.ReadAsync(conn => conn.QueryFirstOrDefaultAsync<string?>(
                    "SELECT \"key\" FROM delivery_state WHERE \"networkId\" = @networkId AND \"failures\" > 0", new { networkId })),
                key => key is not null, "a refused delivery counted") ?? "";
            // Gone before it refuses again: a charger that is not connected is not sent anything, so nothing is counted.
            await stubborn.DisposeAsync();
        }

        await using var second = await TestHost.StartAsync(null, storage);
        var store = second.Services.GetRequiredService<Database>();
        var before = await store.ReadAsync(conn => conn.QueryFirstAsync<(long Failures, long Flagged)>(
            "SELECT \"failures\", \"flagged\" FROM delivery_state WHERE \"key\" = @sessionId", new { sessionId }));
        Assert.InRange(before.Failures, 1, 2);
        Assert.Equal(0, before.Flagged);

        // Back and still refusing: the count goes on from where it was, so the session is flagged after 3 refused
        // deliveries in all, not 3 more (each delivery is tried twice; every try is logged as a network event). Each
        // reading moves the measured power by 10 kW, enough to replan and so to deliver again.
        await using var again = await RestartKit.ChargerAsync(second, ocppId, "Rejected", boot: false);
        var flags = second.Services.GetRequiredService<DeliveryFlags>();
        for (var i = 0; i < 8 && !flags.IsFlagged(sessionId); i++)
        {
            await again.CallAsync("MeterValues", new
            {
                connectorId = 1,
                meterValue = new[] { new { timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow), sampledValue = new[] { new { value = (i % 2 == 0 ? 12000 : 2000).ToString(System.Globalization.CultureInfo.InvariantCulture), measurand = "Power.Active.Import", unit = "W" } } } },
            });
            // Every delivery tries twice, so each reading yields at least one profile to wait for.
            await again.WaitForAsync(e => (string?)e["event"] == "received" && (string?)e["action"] == "SetChargingProfile", $"delivery after reading {i}");
        }
        await OcppKit.EventuallyAsync(() => Task.FromResult(flags.IsFlagged(sessionId)), f => f, "the session flagged");
        // The flag is set in memory first; its event is written by the delivery's bookkeeping, which yields to other writers.
        var events = await OcppKit.EventuallyAsync(async () => (await store.ReadAsync(conn => conn.QueryAsync<(string Description, string EventTime)>(
                "SELECT description, eventTime FROM events WHERE chargingSessionId = @sessionId ORDER BY eventTime", new { sessionId }))).ToList(),
            list => list.Exists(e => e.Description.StartsWith("charger keeps refusing", StringComparison.Ordinal)), "the flagging event stored");
        var flaggedAt = events.First(e => e.Description.StartsWith("charger keeps refusing", StringComparison.Ordinal)).EventTime;
        var refusedDeliveries = events.Count(e => e.Description.StartsWith("SetChargingProfile attempt 2 not accepted", StringComparison.Ordinal)
            && string.CompareOrdinal(e.EventTime, flaggedAt) <= 0);
        Assert.Equal(3, refusedDeliveries);
        again.AssertNoComplaints();
        return 0;
    });
}
