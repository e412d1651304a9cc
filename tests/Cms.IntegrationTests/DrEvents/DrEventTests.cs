using Cms.IntegrationTests.Harness;
using Newtonsoft.Json.Linq;
using static Cms.IntegrationTests.Harness.InputChecks;

namespace Cms.IntegrationTests.DrEvents;

public sealed class DrEventTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TestHost Host => fixture.Host;
    private ApiClient Api => fixture.Host.Admin;

    private static object Body(string networkId, params object[] events) => new { networkId, drEvents = events };

    [Fact]
    public async Task Create_read_update_delete()
    {
        var changes = Host.Changes();
        var network = await Api.Network();
        var created = await Api.Post("/v2/dr_events/", Body(network.Id(),
            new { start = At(0), end = At(60), value = 22, type = "Load Amount" },
            new { start = At(0), end = At(60), value = 5, type = "V2G" }));
        Assert.Equal(201, created.Status);
        Assert.Equal(2, created.Total);
        Assert.Equal("Load Amount", (string?)created.First["type"]);
        Assert.Equal("V2G", (string?)created.Data[1]["type"]);
        var id = created.First.Id();
        Assert.Equal(created.First.ToString(), (await Api.Get($"/v2/dr_events/{id}")).First.ToString());

        var updated = await Api.Patch($"/v2/dr_events/{id}", new { type = "V2G", value = 7.5 });
        Assert.Equal("V2G", (string?)updated.First["type"]);
        Assert.Equal(7.5, (double)updated.First["value"]!);
        Assert.Equal(200, (await Api.Delete($"/v2/dr_events/{id}")).Status);
        Assert.Equal(404, (await Api.Get($"/v2/dr_events/{id}")).Status);
        Assert.Equal(3, changes.Count(c => c.NetworkId == network.Id() && !c.Reason.StartsWith("network ")));
    }

    [Theory]
    [InlineData("""{"networkId": "NET", "drEvents": [{"start": "2031-05-01T00:00:00Z", "end": "2031-05-01T01:00:00Z", "value": 5, "type": "load amount"}]}""", "drEvents[0].type", "must be one of 'Load Amount', 'V2G'")]
    [InlineData("""{"networkId": "NET", "drEvents": [{"start": "2031-05-01T00:00:00Z", "end": "2031-05-01T01:00:00Z", "value": 5}]}""", "drEvents[0].type", "is required")]
    [InlineData("""{"networkId": "NET", "drEvents": [{"start": "2031-05-01T00:00:00Z", "end": "2031-05-01T01:00:00Z", "value": -5, "type": "V2G"}]}""", "drEvents[0].value", "must be >= 0")]
    [InlineData("""{"networkId": "NET", "drEvents": [{"start": "2031-05-01T01:00:00Z", "end": "2031-05-01T00:00:00Z", "value": 5, "type": "V2G"}]}""", "drEvents[0].end", "start < end")]
    [InlineData("""{"drEvents": [{"start": "2031-05-01T00:00:00Z", "end": "2031-05-01T01:00:00Z", "value": 5, "type": "V2G"}]}""", "networkId", "is required")]
    public async Task Invalid_events_name_the_field(string body, string field, string reason)
    {
        var network = await Api.Network();
        var response = await Api.Post("/v2/dr_events", body.Replace("NET", network.Id()));
        Assert.Equal(400, response.Status);
        Assert.Contains(reason, response.FailFor(field));
        Assert.Equal(0, (await Api.Get($"/v2/dr_events?network={network.Id()}")).Total);
    }

    [Fact]
    public async Task List_filters_by_network_and_window_and_pages()
    {
        var network = await Api.Network();
        await Api.Create("/v2/dr_events", Body(network.Id(),
            new { start = At(0), end = At(60), value = 1, type = "Load Amount" },
            new { start = At(60), end = At(120), value = 2, type = "Load Amount" },
            new { start = At(120), end = At(180), value = 3, type = "V2G" }));
        Assert.Equal("is required", (await Api.Get("/v2/dr_events")).FailFor("network"));
        Assert.Equal([2.0, 3.0], (await Api.Get($"/v2/dr_events?network={network.Id()}&start={Q(60)}")).Data.Select(d => (double)d["value"]!));
        Assert.Equal([1.0, 2.0], (await Api.Get($"/v2/dr_events?network={network.Id()}&end={Q(120)}")).Data.Select(d => (double)d["value"]!));
        var page = await Api.Get($"/v2/dr_events?network={network.Id()}&limit=1&offset=2");
        Assert.Equal(3, page.Total);
        Assert.Equal([3.0], page.Data.Select(d => (double)d["value"]!));
    }

    [Fact]
    public async Task Auth_read_only_and_other_customers()
    {
        var network = await Api.Network();
        var body = Body(network.Id(), new { start = At(0), end = At(60), value = 1, type = "Load Amount" });
        var created = await Api.Create("/v2/dr_events", body);
        await InputChecks.AuthAndTenancy(Host, "/v2/dr_events", created, body, new { value = 2 }, canDelete: true);
    }

    [Fact]
    public async Task Profile_is_per_type_fills_gaps_with_zero_and_pages()
    {
        var network = await Api.Network();
        await Api.Create("/v2/dr_events", Body(network.Id(),
            new { start = At(0), end = At(30), value = 10, type = "Load Amount" },
            new { start = At(15), end = At(30), value = 4, type = "Load Amount" },
            new { start = At(45), end = At(60), value = 6, type = "V2G" }));
        var url = $"/v2/profiles/dr_events?network={network.Id()}&start={Q(0)}&end={Q(60)}&intervalLength=15";

        var load = await Api.Get(url + "&type=Load%20Amount");
        Assert.Equal(4, load.Total);
        Assert.Equal("Load Amount", (string?)load.Body["data"]!["type"]);
        Assert.Equal([10.0, 4, 0, 0], load.Body["data"]!["values"]!.Select(v => (double)v));
        Assert.Equal([0.0, 0, 0, 6], (await Api.Get(url + "&type=V2G")).Body["data"]!["values"]!.Select(v => (double)v));
        var paged = await Api.Get(url + "&type=V2G&offset=3&limit=5");
        Assert.Equal(4, paged.Total);
        Assert.Equal([6.0], paged.Body["data"]!["values"]!.Select(v => (double)v));

        Assert.Equal("is required", (await Api.Get(url)).FailFor("type"));
        Assert.Contains("must be one of", (await Api.Get(url + "&type=Shed")).FailFor("type"));
        var other = await SecondCustomer.CreateAsync(Host, "dr-" + Guid.NewGuid().ToString("N")[..8]);
        Assert.Equal(404, (await other.Get(url + "&type=V2G")).Status);
    }
}
