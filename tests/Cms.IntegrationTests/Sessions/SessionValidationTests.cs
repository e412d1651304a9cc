using Cms.IntegrationTests.Harness;

namespace Cms.IntegrationTests.Sessions;

public sealed class SessionValidationTests
{
    [Fact]
    public async Task Bad_bodies_name_each_field_and_store_nothing()
    {
        await using var host = await TestHost.StartAsync();
        var site = await Site.CreateAsync(host.Admin);

        var unknown = await host.Admin.Post("/v2/charging_sessions", new { chargePointId = site.ChargePointId, connectorId = 1, colour = "red" });
        Assert.Equal(400, unknown.Status);
        Assert.Equal("unknown field", unknown.FailFor("colour"));

        var types = await host.Admin.Post("/v2/charging_sessions",
            $$"""{"chargePointId":"{{site.ChargePointId}}","connectorId":1,"priority":"high","energyToCharge":"lots","remoteStopOnCompletion":"yes","transactionId":1.5}""");
        Assert.Equal(400, types.Status);
        Assert.NotNull(types.FailFor("priority"));
        Assert.NotNull(types.FailFor("energyToCharge"));
        Assert.NotNull(types.FailFor("remoteStopOnCompletion"));
        Assert.NotNull(types.FailFor("transactionId"));

        var range = await host.Admin.Post("/v2/charging_sessions", new { chargePointId = site.ChargePointId, connectorId = 1, priority = 6, meterStart = -1, chargingRateUnit = "MW" });
        Assert.Equal(400, range.Status);
        Assert.Equal("must be <= 5", range.FailFor("priority"));
        Assert.NotNull(range.FailFor("meterStart"));
        Assert.NotNull(range.FailFor("chargingRateUnit"));

        var missing = await host.Admin.Post("/v2/charging_sessions", new { });
        Assert.Equal(400, missing.Status);
        Assert.Equal("is required", missing.FailFor("chargePointId"));
        Assert.Equal("is required", missing.FailFor("connectorId"));

        var serverSet = await host.Admin.Post("/v2/charging_sessions", new { chargePointId = site.ChargePointId, connectorId = 1, sessionStart = "2021-01-01T00:00:00Z", active = true });
        Assert.Equal(400, serverSet.Status);
        Assert.NotNull(serverSet.FailFor("sessionStart"));
        Assert.NotNull(serverSet.FailFor("active"));

        var notUuid = await host.Admin.Post("/v2/charging_sessions", new { chargePointId = site.ChargePointId, connectorId = "left" });
        Assert.Equal(400, notUuid.Status);
        Assert.NotNull(notUuid.FailFor("connectorId"));

        var noCharger = await host.Admin.Post("/v2/charging_sessions", new { chargePointId = Guid.NewGuid(), connectorId = 1 });
        Assert.Equal(400, noCharger.Status);
        Assert.NotNull(noCharger.FailFor("chargePointId"));

        var noVehicle = await host.Admin.Post("/v2/charging_sessions", new { chargePointId = site.ChargePointId, connectorId = 1, vehicleId = Guid.NewGuid() });
        Assert.Equal(400, noVehicle.Status);
        Assert.Contains("does not exist", noVehicle.FailFor("vehicleId"));

        var list = await host.Admin.Get($"/v2/charging_sessions?network={site.NetworkId}&start=2000-01-01T00:00:00Z&end=2100-01-01T00:00:00Z");
        Assert.Equal(0, list.Total);
    }

    [Fact]
    public async Task A_connector_of_another_charge_point_is_refused()
    {
        await using var host = await TestHost.StartAsync();
        var a = await Site.CreateAsync(host.Admin, "a");
        var b = await Site.CreateAsync(host.Admin, "b");
        var response = await host.Admin.Post("/v2/charging_sessions", new { chargePointId = a.ChargePointId, connectorId = b.Connector1 });
        Assert.Equal(400, response.Status);
        Assert.Contains("another charge point", response.FailFor("connectorId"));
    }

    [Fact]
    public async Task Without_a_token_every_route_is_401()
    {
        await using var host = await TestHost.StartAsync();
        var site = await Site.CreateAsync(host.Admin);
        var s = await site.StartAsync(host.Admin);
        using var anonymous = host.Client(token: null!);
        Assert.Equal(401, (await anonymous.Get($"/v2/charging_sessions?network={site.NetworkId}")).Status);
        Assert.Equal(401, (await anonymous.Get($"/v2/charging_sessions/{s["id"]}")).Status);
        Assert.Equal(401, (await anonymous.Post("/v2/charging_sessions", new { chargePointId = site.ChargePointId, connectorId = 2 })).Status);
        Assert.Equal(401, (await anonymous.Patch($"/v2/charging_sessions/{s["id"]}", new { priority = 1 })).Status);
        Assert.Equal(401, (await anonymous.Delete($"/v2/charging_sessions/{s["id"]}")).Status);
        using var wrong = host.Client("not-a-token");
        Assert.Equal(401, (await wrong.Get($"/v2/charging_sessions/{s["id"]}")).Status);
    }

    [Fact]
    public async Task Another_customer_sees_404_and_cannot_use_our_connectors()
    {
        await using var host = await TestHost.StartAsync();
        var site = await Site.CreateAsync(host.Admin);
        var s = await site.StartAsync(host.Admin);
        using var other = await SecondCustomer.CreateAsync(host);

        Assert.Equal(404, (await other.Get($"/v2/charging_sessions/{s["id"]}")).Status);
        Assert.Equal(404, (await other.Patch($"/v2/charging_sessions/{s["id"]}", new { priority = 1 })).Status);
        Assert.Equal(404, (await other.Delete($"/v2/charging_sessions/{s["id"]}")).Status);
        Assert.Equal(404, (await other.Delete($"/v2/charging_sessions/{s["id"]}/1")).Status);
        Assert.Equal(0, (await other.Get($"/v2/charging_sessions?network={site.NetworkId}")).Total);
        var start = await other.Post("/v2/charging_sessions", new { chargePointId = site.ChargePointId, connectorId = site.Connector2 });
        Assert.Equal(400, start.Status);
        Assert.NotNull(start.FailFor("chargePointId"));

        // Ours is untouched.
        Assert.True((bool)(await host.Admin.Get($"/v2/charging_sessions/{s["id"]}")).First["active"]!);
    }

    [Fact]
    public async Task A_read_only_user_may_read_but_not_write()
    {
        await using var host = await TestHost.StartAsync();
        var site = await Site.CreateAsync(host.Admin);
        var s = await site.StartAsync(host.Admin);
        await host.Admin.Create("/v2/users", new { name = "viewer", password = "viewer-pass-123", firstName = "V", lastName = "Iewer", type = "read_only" });
        using var anonymous = host.Client(token: null!);
        var login = await anonymous.Post("/v2/users/login", new { name = "viewer", password = "viewer-pass-123" });
        Assert.Equal(200, login.Status);
        using var viewer = host.Client((string)login.First["token"]!);

        Assert.Equal(200, (await viewer.Get($"/v2/charging_sessions/{s["id"]}")).Status);
        Assert.Equal(1, (await viewer.Get($"/v2/charging_sessions?network={site.NetworkId}")).Total);
        Assert.Equal(403, (await viewer.Post("/v2/charging_sessions", new { chargePointId = site.ChargePointId, connectorId = 2 })).Status);
        Assert.Equal(403, (await viewer.Patch($"/v2/charging_sessions/{s["id"]}", new { priority = 1 })).Status);
        Assert.Equal(403, (await viewer.Delete($"/v2/charging_sessions/{s["id"]}")).Status);
        Assert.Equal(403, (await viewer.Post("/v2/meter_values", new { chargePointId = site.ChargePointId, connectorId = 1, meterValues = new[] { new { timestamp = "2021-07-10T17:40:56+00:00", sampledValue = new[] { new { value = 1 } } } } })).Status);

        var read = (await host.Admin.Get($"/v2/charging_sessions/{s["id"]}")).First;
        Assert.True((bool)read["active"]!);
        Assert.Equal(3, (int)read["priority"]!);
    }
}
