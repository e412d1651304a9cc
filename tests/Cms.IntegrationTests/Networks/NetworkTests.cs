using Cms.IntegrationTests.Harness;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Networks;

public sealed class NetworkTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TestHost Host => fixture.Host;
    private ApiClient Api => fixture.Host.Admin;

    [Fact]
    public async Task Create_read_update_delete()
    {
        var created = await Api.Create("/v2/networks", new
        {
            name = "Network 10", location = "New York", latitude = 32.2431, longitude = 115.793, zipCode = 90001,
            objective = "fleet", timeZone = "America/Chicago", maxCapacityBuffer = 0.1, connectorPowerStep = 0.01,
            reservedPower = 22, connectorMinimumLoad = 4.2, baseloadBuildingType = "office", currency = "USD",
            defaultTariff = 50, defaultTax = 0.25, vehicleGroupPriority = "fair distribution", maxCapacity = 22,
        });
        Assert.Equal("90001", (string?)created["zipCode"]);
        Assert.Equal(0.1, (double)created["maxCapacityBuffer"]!);
        Assert.Equal("fleet", (string?)created["objective"]);

        var read = await Api.Get($"/v2/networks/{created.Id()}");
        Assert.Equal(200, read.Status);
        Assert.Equal(created.ToString(), read.First.ToString());

        var updated = await Api.Patch($"/v2/networks/{created.Id()}", new { maxCapacity = 40.5, objective = "load_sharing" });
        Assert.Equal(200, updated.Status);
        Assert.Equal(40.5, (double)updated.First["maxCapacity"]!);
        Assert.Equal("Network 10", (string?)updated.First["name"]);
        Assert.Equal((string?)created["created"], (string?)updated.First["created"]);

        var deleted = await Api.Delete($"/v2/networks/{created.Id()}");
        Assert.Equal(200, deleted.Status);
        Assert.Equal(created.Id(), deleted.First.Id());
        Assert.Equal(404, (await Api.Get($"/v2/networks/{created.Id()}")).Status);
    }

    [Theory]
    [InlineData("""{"maxCapacity": 30}""", "name", "is required")]
    [InlineData("""{"name": "x"}""", "maxCapacity", "is required")]
    [InlineData("""{"name": "x", "maxCapacity": "30"}""", "maxCapacity", "must be a number")]
    [InlineData("""{"name": "x", "maxCapacity": -1}""", "maxCapacity", "must be >= 0")]
    [InlineData("""{"name": "x", "maxCapacity": 30, "latitude": 91}""", "latitude", "must be <= 90")]
    [InlineData("""{"name": "x", "maxCapacity": 30, "objective": "cheap"}""", "objective", "must be one of")]
    [InlineData("""{"name": "x", "maxCapacity": 30, "colour": "red"}""", "colour", "unknown field")]
    [InlineData("""{"name": "x", "maxCapacity": 30, "defaultTariff": 1000}""", "defaultTariff", "must be < 1000")]
    [InlineData("""{"name": "x", "maxCapacity": 30, "timeZone": "Mars/Olympus"}""", "timeZone", "IANA")]
    [InlineData("""{"name": "x", "maxCapacity": 30, "webhook": "https://h/x"}""", "webhookSecret", "is required")]
    [InlineData("""{"name": "x", "maxCapacity": 30, "currentChargingLoad": 3}""", "currentChargingLoad", "computed")]
    [InlineData("""{"name": "x", "maxCapacity": 30,""", "body", "not valid JSON")]
    [InlineData("""[1, 2]""", "body", "JSON object")]
    public async Task Invalid_bodies_are_refused_naming_the_field_and_nothing_is_stored(string body, string field, string reason)
    {
        var before = (await Api.Get("/v2/networks?limit=1")).Total;
        var response = await Api.Post("/v2/networks/", body);
        Assert.Equal(400, response.Status);
        Assert.Equal("fail", (string?)response.Body["status"]);
        Assert.Contains(reason, response.FailFor(field));
        Assert.Equal(before, (await Api.Get("/v2/networks?limit=1")).Total);
    }

    [Fact]
    public async Task Lists_page_sort_search_and_filter_by_updated()
    {
        var api = await SecondCustomer.CreateAsync(Host, "lists-" + Guid.NewGuid().ToString("N")[..6]);
        foreach (var (name, cap) in new[] { ("Bravo", 20.0), ("Alpha", 30.0), ("Charlie", 10.0) })
            await api.Network(cap, name);

        var page = await api.Get("/v2/networks/?limit=2&offset=1&sort=name:asc");
        Assert.Equal(3, page.Total);
        Assert.Equal(["Bravo", "Charlie"], page.Data.Select(d => (string)d["name"]!));

        var byCapacity = await api.Get("/v2/networks?sort=max_capacity:desc");
        Assert.Equal(["Alpha", "Bravo", "Charlie"], byCapacity.Data.Select(d => (string)d["name"]!));

        Assert.Equal(["Charlie"], (await api.Get("/v2/networks?search=arl")).Data.Select(d => (string)d["name"]!));

        var all = (await api.Get("/v2/networks?sort=updated:asc")).Data;
        var since = (string)all[0]["updated"]!;
        var newer = await api.Get("/v2/networks?updated=" + Uri.EscapeDataString(since));
        Assert.Equal(2, newer.Total);

        Assert.Contains("between 1 and 1000", (await api.Get("/v2/networks?limit=0")).FailFor("limit"));
        Assert.Contains("between 1 and 1000", (await api.Get("/v2/networks?limit=1001")).FailFor("limit"));
        Assert.NotNull((await api.Get("/v2/networks?sort=webhookSecret:asc")).FailFor("sort"));
        Assert.Equal("unknown query parameter", (await api.Get("/v2/networks?netwrok=1")).FailFor("netwrok"));
    }

    [Fact]
    public async Task A_network_with_charge_points_cannot_be_deleted()
    {
        var network = await Api.Network();
        await Api.ChargePoint(network.Id());
        var response = await Api.Delete($"/v2/networks/{network.Id()}");
        Assert.Equal(409, response.Status);
        Assert.Contains("charge point", response.FailFor("id"));
        Assert.Equal(200, (await Api.Get($"/v2/networks/{network.Id()}")).Status);
    }

    [Fact]
    public async Task Another_customer_sees_404_and_an_empty_list()
    {
        var mine = await Api.Network();
        var other = await SecondCustomer.CreateAsync(Host, "other-" + Guid.NewGuid().ToString("N")[..6]);
        Assert.Equal(404, (await other.Get($"/v2/networks/{mine.Id()}")).Status);
        Assert.Equal(404, (await other.Patch($"/v2/networks/{mine.Id()}", new { name = "stolen" })).Status);
        Assert.Equal(404, (await other.Delete($"/v2/networks/{mine.Id()}")).Status);
        Assert.Equal(0, (await other.Get("/v2/networks")).Total);
        Assert.Equal("site", (string?)(await Api.Get($"/v2/networks/{mine.Id()}")).First["name"]);
    }

    [Fact]
    public async Task Tokens_are_required_and_read_only_users_cannot_write()
    {
        using var anonymous = Host.Client(null!);
        Assert.Equal(401, (await anonymous.Get("/v2/networks")).Status);
        using var wrong = Host.Client("not-a-token");
        var refused = await wrong.Get("/v2/networks");
        Assert.Equal(401, refused.Status);
        Assert.NotNull(refused.FailFor("authorization"));

        using var reader = await Host.UserOfType("read_only");
        Assert.Equal(200, (await reader.Get("/v2/networks")).Status);
        var write = await reader.Post("/v2/networks", new { name = "x", maxCapacity = 1 });
        Assert.Equal(403, write.Status);
        var existing = await Api.Network();
        Assert.Equal(403, (await reader.Patch($"/v2/networks/{existing.Id()}", new { name = "y" })).Status);
        Assert.Equal(403, (await reader.Delete($"/v2/networks/{existing.Id()}")).Status);
    }

    [Fact]
    public async Task Unknown_ids_answer_404_with_a_fail_envelope()
    {
        var response = await Api.Get($"/v2/networks/{Guid.NewGuid()}");
        Assert.Equal(404, response.Status);
        Assert.Equal("fail", (string?)response.Body["status"]);
        Assert.Equal(404, (await Api.Get("/v2/networks/not-a-uuid")).Status);
    }
}
