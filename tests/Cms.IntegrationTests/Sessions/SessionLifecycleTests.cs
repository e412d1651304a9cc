using Cms.Core.Domain;
using Cms.IntegrationTests.Harness;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Sessions;

public sealed class SessionLifecycleTests
{
    private static readonly DateTimeOffset T0 = new(2021, 7, 10, 17, 40, 40, TimeSpan.Zero);

    [Fact]
    public async Task Start_answers_the_tutorial_shape_with_kW_and_the_connector_uuid()
    {
        var time = new FakeTimeProvider(T0);
        await using var host = await TestHost.StartAsync(time);
        var site = await Site.CreateAsync(host.Admin);

        var response = await host.Admin.Post("/v2/charging_sessions/", new { chargePointId = site.ChargePointId, connectorId = site.Connector1 });

        Assert.Equal(201, response.Status);
        Assert.Equal(1, response.Total);
        var s = response.First;
        foreach (var field in new[] { "id", "created", "updated", "connectorId", "chargingRateUnit", "vehicleId", "transactionId",
                     "energyToCharge", "maximumChargingTimeDate", "maxChargingPowerOfVehicle", "chargePointId", "active", "sessionStart", "sessionEnd" })
            Assert.True(s.ContainsKey(field), field);
        Assert.Equal(site.Connector1, (string?)s["connectorId"]);
        Assert.Equal(site.ChargePointId, (string?)s["chargePointId"]);
        Assert.Equal(site.NetworkId, (string?)s["networkId"]);
        Assert.Equal("kW", (string?)s["chargingRateUnit"]);
        Assert.Equal(3, (int)s["priority"]!);
        Assert.True((bool)s["active"]!);
        Assert.Equal("2021-07-10T17:40:40.000000+00:00", (string?)s["sessionStart"]);
        Assert.Equal(JTokenType.Null, s["sessionEnd"]!.Type);
        Assert.Equal(0, (long)s["chargingDuration"]!);
        Assert.Equal("site charger", (string?)s["chargerName"]);
        Assert.Equal("site left", (string?)s["connectorName"]);

        // The connector and charge point see the open session.
        var connector = (await host.Admin.Get($"/v2/connectors/{site.Connector1}")).First;
        Assert.True((bool)connector["active"]!);
    }

    [Fact]
    public async Task ConnectorId_may_be_the_chargers_connector_number()
    {
        await using var host = await TestHost.StartAsync();
        var site = await Site.CreateAsync(host.Admin);
        var s = await site.StartAsync(host.Admin, connector: 2);
        Assert.Equal(site.Connector2, (string?)s["connectorId"]);

        var missing = await host.Admin.Post("/v2/charging_sessions", new { chargePointId = site.ChargePointId, connectorId = 7 });
        Assert.Equal(400, missing.Status);
        Assert.Contains("no connector with connectorId 7", missing.FailFor("connectorId"));

        var zero = await host.Admin.Post("/v2/charging_sessions", new { chargePointId = site.ChargePointId, connectorId = 0 });
        Assert.Equal(400, zero.Status);
        Assert.NotNull(zero.FailFor("connectorId"));
    }

    [Fact]
    public async Task OcppTransactionStart_sets_sessionStart_and_all_request_fields_are_kept()
    {
        await using var host = await TestHost.StartAsync();
        var site = await Site.CreateAsync(host.Admin);
        var s = await site.StartAsync(host.Admin, extra: new
        {
            chargingRateUnit = "W", idTag = "FHH92JFNMSK93", energyToCharge = 80, maxChargingPowerOfVehicle = 22,
            maximumChargingTimeDate = "2020-10-11T08:19:00+00:00", meterStart = 12.2, ocppTransactionStart = "2021-12-17T22:30:27.629927+00:00",
            paymentInfo = "card", priority = 5, remoteStopOnCompletion = true, transactionId = 92813645,
        });
        Assert.Equal("2021-12-17T22:30:27.629927+00:00", (string?)s["sessionStart"]);
        Assert.Equal("2021-12-17T22:30:27.629927+00:00", (string?)s["ocppTransactionStart"]);
        Assert.Equal("W", (string?)s["chargingRateUnit"]);
        Assert.Equal("FHH92JFNMSK93", (string?)s["idTag"]);
        Assert.Equal(80.0, (double)s["energyToCharge"]!);
        Assert.Equal("2020-10-11T08:19:00.000000+00:00", (string?)s["maximumChargingTimeDate"]);
        Assert.Equal(12.2, (double)s["meterStart"]!);
        Assert.Equal(5, (int)s["priority"]!);
        Assert.True((bool)s["remoteStopOnCompletion"]!);
        Assert.Equal(92813645L, (long)s["transactionId"]!);
        Assert.Equal("card", (string?)s["paymentInfo"]);

        var read = await host.Admin.Get($"/v2/charging_sessions/{s["id"]}");
        Assert.Equal(200, read.Status);
        Assert.Equal((string?)s["id"], (string?)read.First["id"]);
    }

    [Fact]
    public async Task A_second_active_session_on_a_connector_is_a_409_and_nothing_is_stored()
    {
        await using var host = await TestHost.StartAsync();
        var site = await Site.CreateAsync(host.Admin);
        var first = await site.StartAsync(host.Admin);

        var second = await host.Admin.Post("/v2/charging_sessions", new { chargePointId = site.ChargePointId, connectorId = 1 });
        Assert.Equal(409, second.Status);
        Assert.Contains((string)first["id"]!, second.FailFor("connectorId"));

        var list = await host.Admin.Get($"/v2/charging_sessions?network={site.NetworkId}");
        Assert.Equal(1, list.Total);

        // After a stop the connector is free again.
        await host.Admin.Delete($"/v2/charging_sessions/{first["id"]}");
        var third = await host.Admin.Post("/v2/charging_sessions", new { chargePointId = site.ChargePointId, connectorId = 1 });
        Assert.Equal(201, third.Status);
    }

    [Fact]
    public async Task Delete_stops_the_session_keeps_the_row_and_answers_it()
    {
        var time = new FakeTimeProvider(T0);
        await using var host = await TestHost.StartAsync(time);
        var site = await Site.CreateAsync(host.Admin);
        var s = await site.StartAsync(host.Admin);
        time.Advance(TimeSpan.FromMinutes(45));

        var stopped = await host.Admin.Delete($"/v2/charging_sessions/{s["id"]}/");
        Assert.Equal(200, stopped.Status);
        var row = stopped.First;
        Assert.False((bool)row["active"]!);
        Assert.Equal("2021-07-10T18:25:40.000000+00:00", (string?)row["sessionEnd"]);
        Assert.Equal(2700, (long)row["chargingDuration"]!);

        // Still readable; stopping again changes nothing.
        time.Advance(TimeSpan.FromMinutes(10));
        var again = await host.Admin.Delete($"/v2/charging_sessions/{s["id"]}");
        Assert.Equal(200, again.Status);
        Assert.Equal("2021-07-10T18:25:40.000000+00:00", (string?)again.First["sessionEnd"]);
        var read = await host.Admin.Get($"/v2/charging_sessions/{s["id"]}");
        Assert.Equal(2700, (long)read.First["chargingDuration"]!);
    }

    [Fact]
    public async Task Delete_with_a_transaction_id_stops_only_that_transaction()
    {
        await using var host = await TestHost.StartAsync();
        var site = await Site.CreateAsync(host.Admin);
        var s = await site.StartAsync(host.Admin, extra: new { transactionId = 42 });

        var wrong = await host.Admin.Delete($"/v2/charging_sessions/{s["id"]}/43");
        Assert.Equal(404, wrong.Status);
        Assert.NotNull(wrong.FailFor("transaction_id"));
        Assert.True((bool)(await host.Admin.Get($"/v2/charging_sessions/{s["id"]}")).First["active"]!);

        var notNumber = await host.Admin.Delete($"/v2/charging_sessions/{s["id"]}/abc");
        Assert.Equal(400, notNumber.Status);
        Assert.NotNull(notNumber.FailFor("transaction_id"));

        var right = await host.Admin.Delete($"/v2/charging_sessions/{s["id"]}/42");
        Assert.Equal(200, right.Status);
        Assert.False((bool)right.First["active"]!);
    }

    [Fact]
    public async Task Patch_updates_and_meterStop_closes_with_energy_from_the_readings()
    {
        var time = new FakeTimeProvider(T0);
        await using var host = await TestHost.StartAsync(time);
        var site = await Site.CreateAsync(host.Admin);
        var s = await site.StartAsync(host.Admin, extra: new { meterStart = 100.5 });
        var id = (string)s["id"]!;

        time.Advance(TimeSpan.FromMinutes(1));
        var updated = await host.Admin.Patch($"/v2/charging_sessions/{id}", new { priority = 1, paymentInfo = "p", energyToCharge = 30, startSoC = 20, remoteStopOnCompletion = false });
        Assert.Equal(200, updated.Status);
        Assert.Equal(1, (int)updated.First["priority"]!);
        Assert.Equal(20.0, (double)updated.First["startSoC"]!);
        Assert.Equal("2021-07-10T17:41:40.000000+00:00", (string?)updated.First["updated"]);
        Assert.True((bool)updated.First["active"]!);

        time.Advance(TimeSpan.FromMinutes(59));
        var closed = await host.Admin.Patch($"/v2/charging_sessions/{id}", new { meterStop = 125.5 });
        Assert.Equal(200, closed.Status);
        Assert.False((bool)closed.First["active"]!);
        Assert.Equal("2021-07-10T18:40:40.000000+00:00", (string?)closed.First["sessionEnd"]);
        Assert.Equal(25.0, (double)closed.First["energyConsumption"]!, 6);
        Assert.Equal(3600, (long)closed.First["chargingDuration"]!);

        // Closed: no second close, no priority; other fields still change.
        var reclose = await host.Admin.Patch($"/v2/charging_sessions/{id}", new { meterStop = 130 });
        Assert.Equal(409, reclose.Status);
        Assert.NotNull(reclose.FailFor("meterStop"));
        var priority = await host.Admin.Patch($"/v2/charging_sessions/{id}", new { priority = 2 });
        Assert.Equal(409, priority.Status);
        Assert.NotNull(priority.FailFor("priority"));
        var payment = await host.Admin.Patch($"/v2/charging_sessions/{id}", new { paymentInfo = "settled" });
        Assert.Equal(200, payment.Status);
    }

    [Fact]
    public async Task OcppTransactionStop_closes_at_that_time()
    {
        await using var host = await TestHost.StartAsync();
        var site = await Site.CreateAsync(host.Admin);
        var s = await site.StartAsync(host.Admin, extra: new { ocppTransactionStart = "2021-12-17T22:00:00+00:00" });

        var early = await host.Admin.Patch($"/v2/charging_sessions/{s["id"]}", new { ocppTransactionStop = "2021-12-17T21:00:00+00:00" });
        Assert.Equal(400, early.Status);
        Assert.NotNull(early.FailFor("ocppTransactionStop"));

        var closed = await host.Admin.Patch($"/v2/charging_sessions/{s["id"]}", new { ocppTransactionStop = "2021-12-17T23:30:00+00:00" });
        Assert.Equal(200, closed.Status);
        Assert.Equal("2021-12-17T23:30:00.000000+00:00", (string?)closed.First["sessionEnd"]);
        Assert.Equal(5400, (long)closed.First["chargingDuration"]!);
    }

    [Fact]
    public async Task Patch_rules_priority_with_close_empty_body_and_fixed_fields()
    {
        await using var host = await TestHost.StartAsync();
        var site = await Site.CreateAsync(host.Admin);
        var s = await site.StartAsync(host.Admin, extra: new { meterStart = 10 });
        var path = $"/v2/charging_sessions/{s["id"]}";

        var both = await host.Admin.Patch(path, new { meterStop = 20, priority = 1 });
        Assert.Equal(400, both.Status);
        Assert.NotNull(both.FailFor("priority"));

        var empty = await host.Admin.Patch(path, new { });
        Assert.Equal(400, empty.Status);
        Assert.Contains("meterStop", empty.FailFor("body"));

        var fixedField = await host.Admin.Patch(path, new { chargePointId = site.ChargePointId, sessionEnd = "2021-01-01T00:00:00Z", active = false });
        Assert.Equal(400, fixedField.Status);
        Assert.NotNull(fixedField.FailFor("chargePointId"));
        Assert.NotNull(fixedField.FailFor("sessionEnd"));
        Assert.NotNull(fixedField.FailFor("active"));

        var below = await host.Admin.Patch(path, new { meterStop = 5 });
        Assert.Equal(400, below.Status);
        Assert.NotNull(below.FailFor("meterStop"));

        var soc = await host.Admin.Patch(path, new { startSoC = 100 });
        Assert.Equal(400, soc.Status);
        Assert.NotNull(soc.FailFor("startSoC"));

        var read = (await host.Admin.Get(path)).First;
        Assert.True((bool)read["active"]!);
        Assert.Equal(3, (int)read["priority"]!);
    }

    [Fact]
    public async Task Every_change_publishes_NetworkChanged()
    {
        await using var host = await TestHost.StartAsync();
        var events = new List<NetworkChanged>();
        host.Services.GetRequiredService<DomainEvents>().OnNetworkChanged(e => { lock (events) events.Add(e); });
        var site = await Site.CreateAsync(host.Admin);
        lock (events) events.Clear();

        var s = await site.StartAsync(host.Admin);
        await host.Admin.Patch($"/v2/charging_sessions/{s["id"]}", new { priority = 2 });
        await host.Admin.Delete($"/v2/charging_sessions/{s["id"]}");

        lock (events)
        {
            Assert.Equal(["charging session started", "charging session updated", "charging session stopped"], events.Select(e => e.Reason));
            Assert.All(events, e => Assert.Equal(site.NetworkId, e.NetworkId));
        }
    }
}
