using Cms.IntegrationTests.Harness;
using Newtonsoft.Json.Linq;
using static Cms.IntegrationTests.Harness.InputChecks;

namespace Cms.IntegrationTests.Capacities;

public sealed class CapacityTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TestHost Host => fixture.Host;
    private ApiClient Api => fixture.Host.Admin;

    private static object Body(string networkId, params object[] intervals) => new { networkId, maxCapacityIntervals = intervals };

    [Fact]
    public async Task Create_read_update_delete_and_every_write_reoptimizes_the_network()
    {
        var changes = Host.Changes();
        var network = await Api.Network(30);
        var created = await Api.Post("/v2/capacities/", Body(network.Id(),
            new { maxCapacity = 50, start = At(0), end = At(60) },
            new { type = "utilityLimit", maxCapacity = 40.5, start = At(60), end = At(120) }));
        Assert.Equal(201, created.Status);
        Assert.Equal(2, created.Total);
        var first = created.First;
        Assert.Equal("utilityLimit", (string?)first["type"]);
        Assert.Equal(50, (double)first["maxCapacity"]!);
        Assert.Equal(network.Id(), (string?)first["networkId"]);
        Assert.Equal("2031-05-01T00:00:00.000000+00:00", (string?)first["start"]);
        Assert.Contains(changes, c => c.NetworkId == network.Id() && c.Reason.Contains("created"));

        var read = await Api.Get($"/v2/capacities/{first.Id()}");
        Assert.Equal(first.ToString(), read.First.ToString());

        var updated = await Api.Patch($"/v2/capacities/{first.Id()}", new { maxCapacity = 60, end = At(30) });
        Assert.Equal(200, updated.Status);
        Assert.Equal(60, (double)updated.First["maxCapacity"]!);
        Assert.Equal("2031-05-01T00:30:00.000000+00:00", (string?)updated.First["end"]);
        Assert.Contains(changes, c => c.NetworkId == network.Id() && c.Reason.Contains("updated"));

        var deleted = await Api.Delete($"/v2/capacities/{first.Id()}");
        Assert.Equal(200, deleted.Status);
        Assert.Equal(404, (await Api.Get($"/v2/capacities/{first.Id()}")).Status);
        Assert.Contains(changes, c => c.NetworkId == network.Id() && c.Reason.Contains("deleted"));
    }

    [Theory]
    [InlineData("""{"maxCapacityIntervals": [{"maxCapacity": 50, "start": "2031-05-01T00:00:00Z", "end": "2031-05-01T01:00:00Z"}]}""", "networkId", "is required")]
    [InlineData("""{"networkId": "NET"}""", "maxCapacityIntervals", "is required")]
    [InlineData("""{"networkId": "NET", "maxCapacityIntervals": []}""", "maxCapacityIntervals", "at least one")]
    [InlineData("""{"networkId": "NET", "maxCapacityIntervals": {}}""", "maxCapacityIntervals", "must be an array")]
    [InlineData("""{"networkId": "NET", "maxCapacityIntervals": [{"maxCapacity": 50, "start": "2031-05-01T01:00:00Z", "end": "2031-05-01T01:00:00Z"}]}""", "maxCapacityIntervals[0].end", "start < end")]
    [InlineData("""{"networkId": "NET", "maxCapacityIntervals": [{"maxCapacity": 50, "start": "2031-05-01T00:00:00Z", "end": "2031-05-01T01:00:00Z"}, {"maxCapacity": 10, "start": "2031-05-01T00:00:00Z", "end": "2031-05-01T01:00:00Z"}]}""", "maxCapacityIntervals[1].maxCapacity", "cannot be less than the network's maxCapacity")]
    [InlineData("""{"networkId": "NET", "maxCapacityIntervals": [{"maxCapacity": 50, "start": "soon", "end": "2031-05-01T01:00:00Z"}]}""", "maxCapacityIntervals[0].start", "ISO 8601")]
    [InlineData("""{"networkId": "NET", "maxCapacityIntervals": [{"maxCapacity": 50, "end": "2031-05-01T01:00:00Z"}]}""", "maxCapacityIntervals[0].start", "is required")]
    [InlineData("""{"networkId": "NET", "maxCapacityIntervals": [{"maxCapacity": 50, "type": "gridLimit", "start": "2031-05-01T00:00:00Z", "end": "2031-05-01T01:00:00Z"}]}""", "maxCapacityIntervals[0].type", "must be one of")]
    [InlineData("""{"networkId": "NET", "maxCapacityIntervals": [{"maxCapacity": 50, "colour": 1, "start": "2031-05-01T00:00:00Z", "end": "2031-05-01T01:00:00Z"}]}""", "maxCapacityIntervals[0].colour", "unknown field")]
    [InlineData("""{"networkId": "NET", "maxCapacityIntervals": [3]}""", "maxCapacityIntervals[0]", "JSON object")]
    [InlineData("""{"networkId": "NET", "extra": 1, "maxCapacityIntervals": [{"maxCapacity": 50, "start": "2031-05-01T00:00:00Z", "end": "2031-05-01T01:00:00Z"}]}""", "extra", "unknown field")]
    [InlineData("""{"networkId": "00000000-0000-0000-0000-000000000000", "maxCapacityIntervals": [{"maxCapacity": 50, "start": "2031-05-01T00:00:00Z", "end": "2031-05-01T01:00:00Z"}]}""", "networkId", "does not exist")]
    public async Task Invalid_bodies_name_the_field_and_store_nothing(string body, string field, string reason)
    {
        var network = await Api.Network(30);
        var response = await Api.Post("/v2/capacities", body.Replace("NET", network.Id()));
        Assert.Equal(400, response.Status);
        Assert.Contains(reason, response.FailFor(field));
        Assert.Equal(0, (await Api.Get($"/v2/capacities?network={network.Id()}&start={Q(-1e6)}&end={Q(1e6)}")).Total);
    }

    [Fact]
    public async Task More_than_100_intervals_are_refused_and_patch_checks_the_merged_interval()
    {
        var network = await Api.Network(30);
        var many = Enumerable.Range(0, 101).Select(i => (object)new { maxCapacity = 40, start = At(i), end = At(i + 1) }).ToArray();
        Assert.Contains("at most 100", (await Api.Post("/v2/capacities", Body(network.Id(), many))).FailFor("maxCapacityIntervals"));

        var created = await Api.Create("/v2/capacities", Body(network.Id(), new { maxCapacity = 40, start = At(0), end = At(60) }));
        Assert.Contains("start < end", (await Api.Patch($"/v2/capacities/{created.Id()}", new { start = At(90) })).FailFor("start"));
        Assert.Contains("cannot be less", (await Api.Patch($"/v2/capacities/{created.Id()}", new { maxCapacity = 29 })).FailFor("maxCapacity"));
        Assert.Contains("cannot be changed", (await Api.Patch($"/v2/capacities/{created.Id()}", new { networkId = network.Id() })).FailFor("networkId"));
        Assert.Equal(40, (double)(await Api.Get($"/v2/capacities/{created.Id()}")).First["maxCapacity"]!);
    }

    [Fact]
    public async Task List_requires_network_filters_by_window_defaults_to_the_next_12_hours_and_pages()
    {
        var network = await Api.Network(30);
        var now = DateTimeOffset.UtcNow;
        string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'");
        await Api.Create("/v2/capacities", Body(network.Id(),
            new { maxCapacity = 31, start = Iso(now.AddHours(-1)), end = Iso(now.AddHours(1)) },
            new { maxCapacity = 32, start = Iso(now.AddHours(13)), end = Iso(now.AddHours(14)) }));
        await Api.Create("/v2/capacities", Body(network.Id(),
            new { maxCapacity = 33, start = At(0), end = At(60) },
            new { maxCapacity = 34, start = At(60), end = At(120) },
            new { maxCapacity = 35, start = At(120), end = At(180) }));

        Assert.Equal("is required", (await Api.Get("/v2/capacities")).FailFor("network"));
        var upcoming = await Api.Get($"/v2/capacities?network={network.Id()}");
        Assert.Equal([31.0], upcoming.Data.Select(d => (double)d["maxCapacity"]!));

        var window = await Api.Get($"/v2/capacities?network={network.Id()}&start={Q(30)}&end={Q(120)}");
        Assert.Equal([33.0, 34.0], window.Data.Select(d => (double)d["maxCapacity"]!));

        var page = await Api.Get($"/v2/capacities?network={network.Id()}&start={Q(0)}&end={Q(180)}&limit=1&offset=1");
        Assert.Equal(3, page.Total);
        Assert.Equal([34.0], page.Data.Select(d => (double)d["maxCapacity"]!));
        Assert.Equal("must be after start", (await Api.Get($"/v2/capacities?network={network.Id()}&start={Q(60)}&end={Q(0)}")).FailFor("end"));
        Assert.Equal("must be a UUID", (await Api.Get("/v2/capacities?network=abc")).FailFor("network"));
    }

    [Fact]
    public async Task Auth_read_only_and_other_customers()
    {
        var network = await Api.Network(30);
        var body = Body(network.Id(), new { maxCapacity = 40, start = At(0), end = At(60) });
        var created = await Api.Create("/v2/capacities", body);
        await InputChecks.AuthAndTenancy(Host, "/v2/capacities", created, body, new { maxCapacity = 45 }, canDelete: true);
    }

    [Fact]
    public async Task Profile_fills_with_network_max_capacity_and_the_newest_update_wins()
    {
        var network = await Api.Network(30);
        var older = await Api.Create("/v2/capacities", Body(network.Id(), new { maxCapacity = 50, start = At(15), end = At(45) }));
        await Api.Create("/v2/capacities", Body(network.Id(), new { maxCapacity = 70, start = At(30), end = At(45) }));
        var url = $"/v2/profiles/capacities/?network={network.Id()}&start={Q(0)}&end={Q(60)}";

        var profile = await Api.Get(url + "&resolution=15m");
        Assert.Equal(200, profile.Status);
        Assert.Equal(4, profile.Total);
        var data = (JObject)profile.Body["data"]!;
        Assert.Equal("15m", (string?)data["resolution"]);
        Assert.Equal([30.0, 50, 70, 30], data["values"]!.Select(v => (double)v));
        Assert.Equal("2031-05-01T00:15:00.000000+00:00", (string?)data["timestamps"]![1]);

        // Updating the older interval makes it the newest: it now wins the overlap.
        await Api.Patch($"/v2/capacities/{older.Id()}", new { maxCapacity = 55 });
        Assert.Equal([30.0, 55, 55, 30], (await Api.Get(url + "&resolution=15m")).Body["data"]!["values"]!.Select(v => (double)v));

        // Without a resolution a one-hour window gets one-minute points; a partly covered step is time-weighted.
        var fine = await Api.Get(url);
        Assert.Equal(60, fine.Total);
        Assert.Equal("1m", (string?)fine.Body["data"]!["resolution"]);
        Assert.Equal([42.5], (await Api.Get($"/v2/profiles/capacities?network={network.Id()}&start={Q(7.5)}&end={Q(22.5)}&resolution=15m"))
            .Body["data"]!["values"]!.Select(v => (double)v));

        Assert.Contains("must be one of", (await Api.Get(url + "&resolution=3m")).FailFor("resolution"));
        Assert.Equal("unknown query parameter", (await Api.Get(url + "&limit=5")).FailFor("limit"));
        Assert.Equal("is required", (await Api.Get("/v2/profiles/capacities")).FailFor("network"));
        Assert.Equal(404, (await Api.Get($"/v2/profiles/capacities?network={Guid.NewGuid()}")).Status);
    }

    [Fact]
    public async Task Deleting_a_network_removes_its_inputs()
    {
        var network = await Api.Network(30);
        var capacity = await Api.Create("/v2/capacities", Body(network.Id(), new { maxCapacity = 40, start = At(0), end = At(60) }));
        var price = await Api.Create("/v2/prices", new { networkId = network.Id(), energyPrices = new[] { new { start = At(0), end = At(60), price = 0.1 } } });
        Assert.Equal(200, (await Api.Delete($"/v2/networks/{network.Id()}")).Status);
        Assert.Equal(404, (await Api.Get($"/v2/capacities/{capacity.Id()}")).Status);
        Assert.Equal(404, (await Api.Get($"/v2/prices/{price.Id()}")).Status);
    }
}
