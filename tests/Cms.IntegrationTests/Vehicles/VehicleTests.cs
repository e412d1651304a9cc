using System.Collections.Concurrent;
using Cms.Core.Domain;
using Cms.IntegrationTests.Harness;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Vehicles;

public sealed class VehicleTests
{
    private const string Step9Payload =
        """{"name": "Bus 2", "VIN": "4Y1SL65848Z411439", "batteryCapacity": 100, "maxChargingPower": 11.5, "targetStateOfCharge": 100}""";

    private static readonly string[] AllFields =
    [
        "id", "created", "updated", "name", "VIN", "customerVehicleId", "departureTime", "batteryCapacity", "location",
        "maxChargingPower", "stateOfCharge", "targetStateOfCharge", "group", "insideDepot", "make", "model", "year",
        "licensePlate", "integrationId", "active",
    ];

    [Fact]
    public async Task Getting_started_step_9_posts_a_vehicle_and_answers_the_tutorials_object()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2021-08-12T13:05:42.982026+00:00"));
        await using var host = await TestHost.StartAsync(clock);

        var response = await host.Admin.Post("/v2/vehicles/", Step9Payload);

        Assert.Equal(201, response.Status);
        Assert.Equal("success", (string?)response.Body["status"]);
        Assert.Equal(1, response.Total);
        var v = response.First;
        Assert.Equal(AllFields.Order(), v.Properties().Select(p => p.Name).Order());
        Assert.Equal("Bus 2", (string?)v["name"]);
        Assert.True(Guid.TryParse((string?)v["id"], out _));
        Assert.Equal("2021-08-12T13:05:42.982026+00:00", (string?)v["created"]);
        Assert.Equal("2021-08-12T13:05:42.982026+00:00", (string?)v["updated"]);
        Assert.Equal("4Y1SL65848Z411439", (string?)v["VIN"]);
        Assert.Equal(JTokenType.Null, v["customerVehicleId"]!.Type);
        Assert.Equal(JTokenType.Float, v["stateOfCharge"]!.Type);
        Assert.Equal(0.0, (double)v["stateOfCharge"]!);
        Assert.Equal(100.0, (double)v["targetStateOfCharge"]!);
        Assert.Equal(11.5, (double)v["maxChargingPower"]!);
        Assert.Equal(100.0, (double)v["batteryCapacity"]!);
        Assert.Equal(JTokenType.Null, v["location"]!.Type);
        Assert.Equal(JTokenType.Null, v["departureTime"]!.Type);
        Assert.False((bool)v["active"]!);
        foreach (var absent in new[] { "group", "insideDepot", "make", "model", "year", "licensePlate", "integrationId" })
            Assert.Equal(JTokenType.Null, v[absent]!.Type);
        // The same object is stored.
        var read = await host.Admin.Get($"/v2/vehicles/{v["id"]}");
        Assert.True(JToken.DeepEquals(v, read.First), read.ToString());
    }

    [Fact]
    public async Task Getting_started_step_10_updates_soc_target_and_departure()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2021-08-12T13:05:42.982026+00:00"));
        await using var host = await TestHost.StartAsync(clock);
        var created = await host.Admin.Create("/v2/vehicles/", Step9Payload);
        clock.SetUtcNow(DateTimeOffset.Parse("2021-08-12T13:15:24.175699+00:00"));

        var response = await host.Admin.Patch($"/v2/vehicles/{created["id"]}",
            """{"departureTime": "2020-08-13T06:00:00+00:00", "stateOfCharge": 15.5, "targetStateOfCharge": 90.0}""");

        Assert.Equal(200, response.Status);
        var v = response.First;
        Assert.Equal("Bus 2", (string?)v["name"]);
        Assert.Equal((string?)created["id"], (string?)v["id"]);
        Assert.Equal("2021-08-12T13:05:42.982026+00:00", (string?)v["created"]);
        Assert.Equal("2021-08-12T13:15:24.175699+00:00", (string?)v["updated"]);
        Assert.Equal("4Y1SL65848Z411439", (string?)v["VIN"]);
        Assert.Equal(JTokenType.Null, v["customerVehicleId"]!.Type);
        Assert.Equal(15.5, (double)v["stateOfCharge"]!);
        Assert.Equal(90.0, (double)v["targetStateOfCharge"]!);
        Assert.Equal(11.5, (double)v["maxChargingPower"]!);
        Assert.Equal(100.0, (double)v["batteryCapacity"]!);
        Assert.Equal(JTokenType.Null, v["location"]!.Type);
        Assert.Equal("2020-08-13T06:00:00.000000+00:00", (string?)v["departureTime"]);
        Assert.False((bool)v["active"]!);
        var read = await host.Admin.Get($"/v2/vehicles/{created["id"]}");
        Assert.True(JToken.DeepEquals(v, read.First), read.ToString());
    }

    [Fact]
    public async Task The_specs_request_sample_round_trips_every_field_and_delete_answers_the_vehicle()
    {
        await using var host = await TestHost.StartAsync();
        var network = await host.Admin.Create("/v2/networks", new { name = "Depot", maxCapacity = 100 });
        var body = new JObject
        {
            ["name"] = "Vehicle 3", ["VIN"] = "5GZCZ43D13S812715", ["customerVehicleId"] = "Vehicle 3",
            ["departureTime"] = "2020-10-11T08:19:00+00:00", ["batteryCapacity"] = 75.5, ["location"] = "Brooklyn, NYC",
            ["maxChargingPower"] = 11.5, ["stateOfCharge"] = 80.5, ["targetStateOfCharge"] = 90, ["group"] = "MorningDeparturesGroup",
            ["insideDepot"] = network["id"], ["make"] = "Chevy", ["model"] = "Volt", ["year"] = 2022, ["licensePlate"] = "ABC123",
        };
        var v = await host.Admin.Create("/v2/vehicles", body);
        foreach (var (name, value) in body)
            if (name != "departureTime") Assert.True(JToken.DeepEquals(value, v[name]) || (double?)value == (double?)v[name], name);
        Assert.Equal("2020-10-11T08:19:00.000000+00:00", (string?)v["departureTime"]);

        // PATCH may null the nullable fields.
        var patched = await host.Admin.Patch($"/v2/vehicles/{v["id"]}", new { location = (string?)null, departureTime = (string?)null, make = "Chevrolet" });
        Assert.Equal(200, patched.Status);
        Assert.Equal(JTokenType.Null, patched.First["location"]!.Type);
        Assert.Equal(JTokenType.Null, patched.First["departureTime"]!.Type);
        Assert.Equal("Chevrolet", (string?)patched.First["make"]);
        Assert.Equal("Vehicle 3", (string?)patched.First["name"]);

        var deleted = await host.Admin.Delete($"/v2/vehicles/{v["id"]}");
        Assert.Equal(200, deleted.Status);
        Assert.Equal((string?)v["id"], (string?)deleted.First["id"]);
        Assert.Equal(404, (await host.Admin.Get($"/v2/vehicles/{v["id"]}")).Status);
        Assert.Equal(404, (await host.Admin.Delete($"/v2/vehicles/{v["id"]}")).Status);
        Assert.Equal(0, (await host.Admin.Get("/v2/vehicles")).Total);
    }

    [Theory]
    [InlineData("""{"VIN": "X"}""", "name")]
    [InlineData("""{"name": null}""", "name")]
    [InlineData("""{"name": "a", "batteryCapacity": 0}""", "batteryCapacity")]
    [InlineData("""{"name": "a", "batteryCapacity": -5}""", "batteryCapacity")]
    [InlineData("""{"name": "a", "batteryCapacity": "100"}""", "batteryCapacity")]
    [InlineData("""{"name": "a", "maxChargingPower": 0}""", "maxChargingPower")]
    [InlineData("""{"name": "a", "stateOfCharge": 100.5}""", "stateOfCharge")]
    [InlineData("""{"name": "a", "stateOfCharge": -1}""", "stateOfCharge")]
    [InlineData("""{"name": "a", "targetStateOfCharge": 101}""", "targetStateOfCharge")]
    [InlineData("""{"name": "a", "departureTime": "tomorrow"}""", "departureTime")]
    [InlineData("""{"name": "a", "year": 2022.5}""", "year")]
    [InlineData("""{"name": "a", "VIN": 12345}""", "VIN")]
    [InlineData("""{"name": "a", "insideDepot": "not-a-uuid"}""", "insideDepot")]
    [InlineData("""{"name": "a", "insideDepot": "33fe5b42-f717-43f6-ba0a-eab4cae81bfa"}""", "insideDepot")]
    [InlineData("""{"name": "a", "color": "red"}""", "color")]
    [InlineData("""{"name": "a", "active": true}""", "active")]
    [InlineData("""{"name": "a", "integrationId": "x"}""", "integrationId")]
    [InlineData("""{"name": "a", "id": "33fe5b42-f717-43f6-ba0a-eab4cae81bfa"}""", "id")]
    public async Task A_bad_field_is_named_and_nothing_is_stored(string body, string field)
    {
        await using var host = await TestHost.StartAsync();
        var created = await host.Admin.Create("/v2/vehicles", new { name = "Keep", stateOfCharge = 20 });

        var post = await host.Admin.Post("/v2/vehicles", body);
        Assert.Equal(400, post.Status);
        Assert.NotNull(post.FailFor(field));
        Assert.Equal(1, await FleetTestData.CountRowsAsync(host, "vehicles"));

        if (field == "name" && !body.Contains("null", StringComparison.Ordinal)) return; // omitting name is fine on PATCH
        var patch = await host.Admin.Patch($"/v2/vehicles/{created["id"]}", body);
        Assert.Equal(400, patch.Status);
        Assert.NotNull(patch.FailFor(field));
        var after = await host.Admin.Get($"/v2/vehicles/{created["id"]}");
        Assert.True(JToken.DeepEquals(created, after.First), after.ToString());
    }

    [Fact]
    public async Task Lists_filter_by_group_and_updated_page_with_totals_and_sort()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2024-01-01T00:00:00+00:00"));
        await using var host = await TestHost.StartAsync(clock);
        var specs = new (string Name, string? Group, double Battery, double Target, int Year, string Plate, string Make)[]
        {
            ("Bus A", "Morning", 300, 80, 2019, "NY-001", "Proterra"),
            ("Bus B", "Morning", 250, 90, 2021, "NY-002", "BYD"),
            ("Van C", "Evening", 75, 100, 2020, "NY-003", "Ford"),
            ("Van D", null, 60, 70, 2023, "NJ-004", "Rivian"),
            ("Car E", "Evening", 82, 95, 2018, "NJ-005", "Tesla"),
        };
        var ids = new Dictionary<string, string>();
        foreach (var s in specs)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            var v = await host.Admin.Create("/v2/vehicles", new
            {
                name = s.Name, group = s.Group, batteryCapacity = s.Battery, targetStateOfCharge = s.Target, year = s.Year,
                licensePlate = s.Plate, make = s.Make, model = s.Name + " model",
            });
            ids[s.Name] = (string)v["id"]!;
        }

        var all = await host.Admin.Get("/v2/vehicles");
        Assert.Equal(5, all.Total);
        Assert.Equal(["Car E", "Van D", "Van C", "Bus B", "Bus A"], all.Strings("name")); // newest first

        var morning = await host.Admin.Get("/v2/vehicles?group=Morning");
        Assert.Equal(2, morning.Total);
        Assert.All(morning.Data, d => Assert.Equal("Morning", (string?)d["group"]));
        Assert.Equal(4, (await host.Admin.Get("/v2/vehicles?group=Morning&group=Evening")).Total);

        var cut = Uri.EscapeDataString("2024-01-01T00:03:00+00:00");
        var recent = await host.Admin.Get($"/v2/vehicles?updated={cut}&sort=name:asc");
        Assert.Equal(["Car E", "Van D"], recent.Strings("name"));
        Assert.Equal(400, (await host.Admin.Get("/v2/vehicles?updated=yesterday")).Status);

        var page = await host.Admin.Get("/v2/vehicles?sort=name:asc&limit=2&offset=2");
        Assert.Equal(5, page.Total);
        Assert.Equal(["Car E", "Van C"], page.Strings("name"));
        Assert.Empty((await host.Admin.Get("/v2/vehicles?offset=10")).Data);
        Assert.Equal(400, (await host.Admin.Get("/v2/vehicles?limit=0")).Status);
        Assert.Equal(400, (await host.Admin.Get("/v2/vehicles?limit=1001")).Status);

        Assert.Equal(["Bus A", "Bus B", "Car E", "Van C", "Van D"], (await host.Admin.Get("/v2/vehicles?sort=batteryCapacity:desc")).Strings("name"));
        Assert.Equal(["Van D", "Bus A", "Bus B", "Car E", "Van C"], (await host.Admin.Get("/v2/vehicles?sort=targetSOC:asc")).Strings("name"));
        Assert.Equal(["Van D", "Bus B", "Van C", "Bus A", "Car E"], (await host.Admin.Get("/v2/vehicles?sort=year:desc")).Strings("name"));
        Assert.Equal(["Bus B", "Van C", "Bus A", "Van D", "Car E"], (await host.Admin.Get("/v2/vehicles?sort=make:asc")).Strings("name"));
        Assert.Equal(["Van C", "Bus B", "Bus A", "Car E", "Van D"], (await host.Admin.Get("/v2/vehicles?sort=licensePlate:desc")).Strings("name"));
        foreach (var key in new[] { "group", "integrationId", "model", "maxChargingPower", "VIN", "name" })
            Assert.Equal(200, (await host.Admin.Get($"/v2/vehicles?sort={key}:asc")).Status);
        var badSort = await host.Admin.Get("/v2/vehicles?sort=colour:asc");
        Assert.Equal(400, badSort.Status);
        Assert.NotNull(badSort.FailFor("sort"));
        Assert.NotNull((await host.Admin.Get("/v2/vehicles?colour=red")).FailFor("colour"));
    }

    [Fact]
    public async Task Search_matches_name_plate_vin_group_make_model_year_id_and_id_tag_values()
    {
        await using var host = await TestHost.StartAsync();
        var bus = await host.Admin.Create("/v2/vehicles", new
        {
            name = "Bus 2", VIN = "4Y1SL65848Z411439", licensePlate = "XYZ-987", group = "Night", make = "Proterra", model = "ZX5", year = 2017,
        });
        var other = await host.Admin.Create("/v2/vehicles", new { name = "Sedan", make = "Tesla", year = 2022 });
        await host.Admin.Create("/v2/id_tags", new { value = "CARD-0042", group = "RFID", vehicleId = (string)bus["id"]! });

        foreach (var term in new[] { "bus", "65848z", "xyz-9", "nigh", "proter", "zx5", "2017", ((string)bus["id"]!)[..13], "card-0042" })
        {
            var found = await host.Admin.Get("/v2/vehicles?search=" + Uri.EscapeDataString(term));
            Assert.True(found.Total == 1 && (string?)found.First["id"] == (string?)bus["id"], $"search '{term}': {found}");
        }
        var tesla = await host.Admin.Get("/v2/vehicles?search=TESLA");
        Assert.Equal([(string?)other["id"]], tesla.Strings("id"));
        Assert.Equal(0, (await host.Admin.Get("/v2/vehicles?search=nothing-like-this")).Total);
    }

    [Fact]
    public async Task Groups_lists_distinct_groups_of_this_customer_only()
    {
        await using var host = await TestHost.StartAsync();
        foreach (var group in new[] { "Morning", "Evening", "Morning", null })
            await host.Admin.Create("/v2/vehicles", new { name = "v", group });
        using var other = await SecondCustomer.CreateAsync(host, "othercust");
        await other.Create("/v2/vehicles", new { name = "theirs", group = "Secret" });

        foreach (var path in new[] { "/v2/vehicles/groups", "/v2/vehicles/groups/" })
        {
            var groups = await host.Admin.Get(path);
            Assert.Equal(200, groups.Status);
            Assert.Equal(2, groups.Total);
            Assert.Equal(["Evening", "Morning"], groups.Data.Select(g => (string?)g).ToList());
        }
        Assert.Equal(["Secret"], (await other.Get("/v2/vehicles/groups")).Data.Select(g => (string?)g).ToList());
        Assert.Equal(400, (await host.Admin.Get("/v2/vehicles/groups?limit=5")).Status);
    }

    [Fact]
    public async Task Without_a_token_answers_401_and_a_read_only_user_can_read_but_not_write()
    {
        await using var host = await TestHost.StartAsync();
        var v = await host.Admin.Create("/v2/vehicles", new { name = "Bus" });
        using var anonymous = host.Client(null!);
        Assert.Equal(401, (await anonymous.Get("/v2/vehicles")).Status);
        Assert.Equal(401, (await anonymous.Get("/v2/vehicles/groups")).Status);
        Assert.Equal(401, (await anonymous.Post("/v2/vehicles", new { name = "x" })).Status);
        Assert.Equal(401, (await anonymous.Patch($"/v2/vehicles/{v["id"]}", new { name = "x" })).Status);
        Assert.Equal(401, (await anonymous.Delete($"/v2/vehicles/{v["id"]}")).Status);

        using var viewer = await FleetTestData.ReadOnlyClientAsync(host);
        Assert.Equal(1, (await viewer.Get("/v2/vehicles")).Total);
        Assert.Equal(200, (await viewer.Get($"/v2/vehicles/{v["id"]}")).Status);
        Assert.Equal(403, (await viewer.Post("/v2/vehicles", new { name = "x" })).Status);
        Assert.Equal(403, (await viewer.Patch($"/v2/vehicles/{v["id"]}", new { name = "x" })).Status);
        Assert.Equal(403, (await viewer.Delete($"/v2/vehicles/{v["id"]}")).Status);
        var after = await host.Admin.Get("/v2/vehicles");
        Assert.Equal(1, after.Total);
        Assert.True(JToken.DeepEquals(v, after.First), after.ToString());
    }

    [Fact]
    public async Task Another_customers_vehicle_answers_404_and_is_never_listed()
    {
        await using var host = await TestHost.StartAsync();
        var mine = await host.Admin.Create("/v2/vehicles", new { name = "Mine", group = "G" });
        using var other = await SecondCustomer.CreateAsync(host, "rival");

        Assert.Equal(0, (await other.Get("/v2/vehicles")).Total);
        Assert.Equal(0, (await other.Get("/v2/vehicles?search=Mine")).Total);
        Assert.Equal(404, (await other.Get($"/v2/vehicles/{mine["id"]}")).Status);
        Assert.Equal(404, (await other.Patch($"/v2/vehicles/{mine["id"]}", new { name = "Stolen" })).Status);
        Assert.Equal(404, (await other.Delete($"/v2/vehicles/{mine["id"]}")).Status);
        var theirNetwork = await other.Create("/v2/networks", new { name = "Theirs", maxCapacity = 10 });
        Assert.NotNull((await host.Admin.Post("/v2/vehicles", new { name = "x", insideDepot = (string)theirNetwork["id"]! })).FailFor("insideDepot"));
        var still = await host.Admin.Get($"/v2/vehicles/{mine["id"]}");
        Assert.True(JToken.DeepEquals(mine, still.First), still.ToString());
    }

    [Fact]
    public async Task A_vehicle_in_an_open_session_is_active_reoptimizes_its_network_on_soc_changes_and_cannot_be_deleted()
    {
        await using var host = await TestHost.StartAsync();
        var v = await host.Admin.Create("/v2/vehicles", new { name = "Bus", stateOfCharge = 20, targetStateOfCharge = 80 });
        var idle = await host.Admin.Create("/v2/vehicles", new { name = "Idle" });
        var networkId = await FleetTestData.StartSessionAsync(host, (string)v["id"]!);
        var events = new ConcurrentQueue<NetworkChanged>();
        host.Services.GetRequiredService<DomainEvents>().OnNetworkChanged(events.Enqueue);

        Assert.True((bool)(await host.Admin.Get($"/v2/vehicles/{v["id"]}")).First["active"]!);
        Assert.False((bool)(await host.Admin.Get($"/v2/vehicles/{idle["id"]}")).First["active"]!);

        await host.Admin.Patch($"/v2/vehicles/{v["id"]}", new { name = "Renamed", stateOfCharge = 20 }); // no optimization input changed
        await host.Admin.Patch($"/v2/vehicles/{idle["id"]}", new { stateOfCharge = 50 });              // not charging anywhere
        Assert.Empty(events);

        foreach (var change in new object[] { new { stateOfCharge = 35.5 }, new { targetStateOfCharge = 90 }, new { departureTime = "2030-01-01T07:00:00Z" } })
        {
            Assert.Equal(200, (await host.Admin.Patch($"/v2/vehicles/{v["id"]}", change)).Status);
            Assert.True(events.TryDequeue(out var e), $"no NetworkChanged after {change}");
            Assert.Equal(networkId, e.NetworkId);
            Assert.Empty(events);
        }

        var delete = await host.Admin.Delete($"/v2/vehicles/{v["id"]}");
        Assert.Equal(409, delete.Status);
        Assert.Equal(200, (await host.Admin.Get($"/v2/vehicles/{v["id"]}")).Status);
    }
}
