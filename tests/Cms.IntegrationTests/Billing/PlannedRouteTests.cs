using System.Globalization;
using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Billing;

/// <summary>/v2/planned_routes: batches, the list window and filters, validation, tenancy, and what a route does to the fleet plan.</summary>
public sealed class PlannedRouteTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TestHost Host => fixture.Host;
    private ApiClient Api => fixture.Host.Admin;

    private static string At(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);
    private static string Q(DateTimeOffset t) => Uri.EscapeDataString(At(t));

    [Fact]
    public async Task Routes_are_created_in_batches_listed_by_window_and_filters_patched_and_deleted()
    {
        var now = DateTimeOffset.UtcNow;
        var group = "vans-" + Guid.NewGuid().ToString("N")[..6];
        var van = await Api.Create("/v2/vehicles", new { name = "Van " + group, stateOfCharge = 40, batteryCapacity = 80, group });
        var created = await Api.Post("/v2/planned_routes", new
        {
            routes = new object[]
            {
                new { vehicleId = van.Id(), externalId = "R-" + group + "-1", start = At(now.AddHours(2)), end = At(now.AddHours(4)), demand = new { energy = 30.5, distance = 120 } },
                new { vehicleGroup = group, externalId = "R-" + group + "-2", start = At(now.AddHours(-1)), end = At(now.AddHours(1)), demand = new { stateOfCharge = 60 } },
                new { vehicleId = van.Id(), externalId = "R-" + group + "-3", start = At(now.AddDays(3)), end = At(now.AddDays(3).AddHours(1)) },
            },
        });
        Assert.Equal(201, created.Status);
        Assert.Equal(3, created.Total);
        var first = (JObject)created.Data[0];
        Assert.Equal(van.Id(), (string?)first["vehicleId"]);
        Assert.Equal("Van " + group, (string?)first["vehicleName"]);
        Assert.Equal(30.5, (double)first["demand"]!["energy"]!);
        Assert.Equal(120, (double)first["demand"]!["distance"]!);
        Assert.Equal("future", (string?)first["status"]);
        Assert.Equal("live", (string?)created.Data[1]["status"]);
        Assert.Null(first["energy"]);
        Assert.Equal(first.ToString(), (await Api.GetOne($"/v2/planned_routes/{first.Id()}")).ToString());

        // Default window: now to now + 24 h, so the route in three days is not listed.
        var window = await Api.Get($"/v2/planned_routes?search={group}");
        Assert.Equal(2, window.Total);
        Assert.Equal(3, (await Api.Get($"/v2/planned_routes?search={group}&start={Q(now.AddHours(-2))}&end={Q(now.AddDays(4))}")).Total);
        Assert.Equal(1, (await Api.Get($"/v2/planned_routes?search={group}&status=future")).Total);
        Assert.Equal(2, (await Api.Get($"/v2/planned_routes?search={group}&status=future&status=live")).Total);
        Assert.Equal(2, (await Api.Get($"/v2/planned_routes?vehicle={van.Id()}&start={Q(now)}&end={Q(now.AddDays(4))}")).Total);
        Assert.Equal(1, (await Api.Get($"/v2/planned_routes?vehicle_group={group}")).Total);
        var byEnergy = await Api.Get($"/v2/planned_routes?search={group}&sort=energy:desc");
        Assert.Equal(first.Id(), (string?)byEnergy.First["id"]);
        Assert.Equal(created.Data[1]["id"]!.ToString(), (string?)(await Api.Get($"/v2/planned_routes?search={group}&sort=start:asc")).First["id"]);

        var patched = await Api.Patch($"/v2/planned_routes/{first.Id()}", new { demand = new { energy = 10 }, externalId = "changed-" + group });
        Assert.Equal(200, patched.Status);
        Assert.Equal(10, (double)patched.First["demand"]!["energy"]!);
        Assert.Null(patched.First["demand"]!["distance"]);
        Assert.Equal("changed-" + group, (string?)patched.First["externalId"]);
        Assert.Equal(200, (await Api.Delete($"/v2/planned_routes/{first.Id()}")).Status);
        Assert.Equal(404, (await Api.Get($"/v2/planned_routes/{first.Id()}")).Status);
    }

    [Fact]
    public async Task Bad_routes_are_refused_naming_the_route_and_field_and_nothing_is_stored()
    {
        var now = DateTimeOffset.UtcNow;
        var van = await Api.Create("/v2/vehicles", new { name = "Checked van", stateOfCharge = 40 });
        var good = new { vehicleId = van.Id(), start = At(now.AddHours(1)), end = At(now.AddHours(2)) };
        async Task<string?> Refused(object body, string field)
        {
            var response = await Api.Post("/v2/planned_routes", body);
            Assert.True(response.Status == 400, response.ToString());
            return response.FailFor(field);
        }
        Assert.Contains("non-empty list", await Refused(new { routes = Array.Empty<object>() }, "routes"));
        Assert.Equal("unknown field", await Refused(new { route = new[] { good } }, "route"));
        Assert.Equal("is required", await Refused(new { routes = new object[] { good, new { vehicleId = van.Id(), end = At(now) } } }, "routes[1].start"));
        Assert.Contains("end after it starts", await Refused(new { routes = new object[] { new { vehicleId = van.Id(), start = At(now.AddHours(2)), end = At(now.AddHours(1)) } } }, "routes[0].end"));
        Assert.Contains("vehicleGroup", await Refused(new { routes = new object[] { new { start = At(now), end = At(now.AddHours(1)) } } }, "routes[0].vehicleId"));
        Assert.Contains("does not exist", await Refused(new { routes = new object[] { good, new { vehicleId = Guid.NewGuid(), start = At(now), end = At(now.AddHours(1)) } } }, "routes[1].vehicleId"));
        Assert.Equal("must be <= 100", await Refused(new { routes = new object[] { new { vehicleId = van.Id(), start = At(now), end = At(now.AddHours(1)), demand = new { stateOfCharge = 120 } } } }, "routes[0].demand.stateOfCharge"));
        Assert.Equal("unknown field", await Refused(new { routes = new object[] { new { vehicleId = van.Id(), start = At(now), end = At(now.AddHours(1)), demand = new { fuel = 3 } } } }, "routes[0].demand.fuel"));
        Assert.Contains("at least one", await Refused(new { routes = new object[] { new { vehicleId = van.Id(), start = At(now), end = At(now.AddHours(1)), demand = new { } } } }, "routes[0].demand"));
        Assert.Equal(0, (await Api.Get($"/v2/planned_routes?vehicle={van.Id()}")).Total); // the good route of a refused batch was not stored

        Assert.Contains("one week", (await Api.Get($"/v2/planned_routes?start={Q(now)}&end={Q(now.AddDays(8))}")).FailFor("end"));
        Assert.Contains("must be one of", (await Api.Get("/v2/planned_routes?status=soon")).FailFor("status"));
        Assert.NotNull((await Api.Get("/v2/planned_routes?sort=color:asc")).FailFor("sort"));

        var route = (await Api.Post("/v2/planned_routes", new { routes = new[] { good } })).First;
        Assert.Contains("at least one", (await Api.Patch($"/v2/planned_routes/{route.Id()}", new { })).FailFor("body"));
        Assert.Contains("end after it starts", (await Api.Patch($"/v2/planned_routes/{route.Id()}", new { start = At(now.AddHours(3)) })).FailFor("start"));
        Assert.Equal("is computed by the server and cannot be set", (await Api.Patch($"/v2/planned_routes/{route.Id()}", new { status = "past" })).FailFor("status"));

        using var reader = await Host.UserOfType("read_only");
        Assert.Equal(200, (await reader.Get($"/v2/planned_routes/{route.Id()}")).Status);
        Assert.Equal(403, (await reader.Post("/v2/planned_routes", new { routes = new[] { good } })).Status);
        Assert.Equal(403, (await reader.Patch($"/v2/planned_routes/{route.Id()}", new { externalId = "x" })).Status);
        Assert.Equal(403, (await reader.Delete($"/v2/planned_routes/{route.Id()}")).Status);
        var other = await SecondCustomer.CreateAsync(Host, "pr-" + Guid.NewGuid().ToString("N")[..6]);
        Assert.Equal(404, (await other.Get($"/v2/planned_routes/{route.Id()}")).Status);
        Assert.Equal(404, (await other.Patch($"/v2/planned_routes/{route.Id()}", new { externalId = "x" })).Status);
        Assert.Equal(404, (await other.Delete($"/v2/planned_routes/{route.Id()}")).Status);
        Assert.Equal(0, (await other.Get($"/v2/planned_routes?vehicle={van.Id()}")).Total);
        Assert.Contains("does not exist", (await other.Post("/v2/planned_routes", new { routes = new[] { good } })).FailFor("routes[0].vehicleId"));
    }

    [Fact]
    public async Task A_planned_route_makes_the_fleet_plan_charge_its_vehicle_before_the_route_starts()
    {
        var watch = new OptimizationWatch(Host);
        var now = DateTimeOffset.UtcNow;
        var network = await Api.Create("/v2/networks", new { name = "depot", maxCapacity = 22, objective = "fleet" });
        var cp = await Api.ChargePoint(network.Id(), maxCapacity: 22);
        var connector = await Api.Connector(cp.Id(), maxCapacity: 22);
        // Expensive for the next two hours, cheap after: without a trip the van (leaving in 10 h) waits for the cheap hours.
        Assert.Equal(201, (await Api.Post("/v2/prices", new
        {
            networkId = network.Id(),
            energyPrices = new object[]
            {
                new { start = At(now.AddMinutes(-15)), end = At(now.AddHours(2)), price = 0.50 },
                new { start = At(now.AddHours(2)), end = At(now.AddHours(30)), price = 0.05 },
            },
        })).Status);
        var van = await Api.Create("/v2/vehicles", new
        {
            name = "Route van", batteryCapacity = 60, stateOfCharge = 50, targetStateOfCharge = 80, maxChargingPower = 22,
            departureTime = At(now.AddHours(10)),
        });
        var session = await Api.Create("/v2/charging_sessions", new { chargePointId = cp.Id(), connectorId = connector.Id(), vehicleId = van.Id() });
        await watch.FirstLimitsAsync(network.Id(), limits => limits.TryGetValue(session.Id(), out var kw) && kw == 0);

        // A trip in 75 minutes needing 70 % of the battery: the van must charge now, at the expensive price.
        var seen = watch.Count;
        var route = (await Api.Post("/v2/planned_routes", new
        {
            routes = new[] { new { vehicleId = van.Id(), start = At(now.AddMinutes(75)), end = At(now.AddHours(5)), demand = new { stateOfCharge = 70 } } },
        })).First;
        var run = await watch.WaitAsync(network.Id(), r => r.Items.Any(i => i.Session.Id == session.Id() && i.LimitsKw[0] > 0), seen);
        var plan = run.Items.Single(i => i.Session.Id == session.Id());
        Assert.Equal(now.AddMinutes(75).ToUnixTimeSeconds(), plan.Session.Departure!.Value.ToUnixTimeSeconds());
        Assert.True(plan.LimitsKw.Sum() * 0.25 >= 18 - 0.1, $"plans {plan.LimitsKw.Sum() * 0.25} kWh before the trip"); // its own 80 % target, 18 kWh

        // Without the route it waits for the cheap hours again.
        seen = watch.Count;
        Assert.Equal(200, (await Api.Delete($"/v2/planned_routes/{route.Id()}")).Status);
        await watch.WaitAsync(network.Id(), r => r.Items.Any(i => i.Session.Id == session.Id() && i.LimitsKw[0] == 0), seen);
    }
}
