using Cms.Core.Domain;
using Cms.Core.Storage;
using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;
using Microsoft.Extensions.DependencyInjection;

namespace Cms.IntegrationTests.MeterValues;

/// <summary>
/// Meter values that share one group commit with a request that fails there: the group writer rolls the batch back
/// and runs the good ones again, so the hot-path cache the first attempt updated must not make the redo miss the
/// power change it stores.
/// </summary>
public sealed class MeterValuesInOneBatchTests
{
    private const string Window = "start=2021-01-01T00:00:00Z&end=2022-01-01T00:00:00Z";

    private static object Power(string chargePointId, string timestamp, double kw, string? vehicleId = null) => new
    {
        chargePointId,
        connectorId = 1,
        vehicleId,
        meterValues = new[] { new { timestamp, sampledValue = new object[] { new { measurand = "Power.Active.Import", unit = "kW", value = kw } } } },
    };

    [Fact]
    public async Task A_bad_request_in_the_batch_fails_alone_and_the_good_ones_are_stored_with_their_power_change()
    {
        await using var host = await TestHost.StartAsync();
        var db = host.Services.GetRequiredService<Database>();
        var site = await Site.CreateAsync(host.Admin);
        var session = await site.StartAsync(host.Admin);
        await host.Admin.Create("/v2/meter_values", Power(site.ChargePointId, "2021-07-10T10:01:00Z", 1));
        var events = new List<NetworkChanged>();
        host.Services.GetRequiredService<DomainEvents>().OnNetworkChanged(e => { lock (events) events.Add(e); });

        // Hold the write lock: the writer takes a first item and waits, and the three requests queue behind it in order.
        var release = new TaskCompletionSource();
        var holder = db.WriteAsync(async (_, _) => await release.Task);
        var first = db.GroupWriteAsync((_, _) => Task.FromResult(0));
        await Queued(db, 0);
        var jump = host.Admin.Post("/v2/meter_values", Power(site.ChargePointId, "2021-07-10T10:03:00Z", 7));
        await Queued(db, 1);
        var bad = host.Admin.Post("/v2/meter_values", Power(site.ChargePointId, "2021-07-10T10:04:00Z", 99, vehicleId: Guid.NewGuid().ToString()));
        await Queued(db, 2);
        var wobble = host.Admin.Post("/v2/meter_values", Power(site.ChargePointId, "2021-07-10T10:05:00Z", 7.2));
        await Queued(db, 3);
        release.SetResult();
        await holder;
        await first;

        Assert.Equal(201, (await jump).Status);
        Assert.Equal(201, (await wobble).Status);
        var failed = await bad;
        Assert.Equal(400, failed.Status);
        Assert.NotNull(failed.FailFor("vehicleId"));

        var stored = await host.Admin.Get($"/v2/meter_values?chargepoint={site.ChargePointId}&{Window}");
        var values = stored.Data.Select(row => (double)row["value"]!).Order();
        Assert.Equal(new[] { 1.0, 7.0, 7.2 }, values);
        var after = (await host.Admin.Get($"/v2/charging_sessions/{session["id"]}")).First;
        Assert.Equal(7.2, (double)after["currentChargingLoad"]!);
        // 1 -> 7 kW is a change that replans (the redo saw the session as stored, not as the rolled-back attempt left it
        // in memory); 7 -> 7.2 is not.
        lock (events) Assert.Equal("measured power changed", Assert.Single(events).Reason);
    }

    /// <summary>Waits until this many items wait for the group writer.</summary>
    private static Task Queued(Database db, int items) =>
        OcppKit.EventuallyAsync(() => Task.FromResult(db.GroupQueueLength), n => n == items, $"{items} item(s) queued for the group writer",
            TimeSpan.FromSeconds(60));
}
