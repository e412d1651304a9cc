using Cms.IntegrationTests.Harness;
using Newtonsoft.Json.Linq;
using static Cms.IntegrationTests.Harness.InputChecks;

namespace Cms.IntegrationTests.Prices;

public sealed class PriceTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TestHost Host => fixture.Host;
    private ApiClient Api => fixture.Host.Admin;

    private static object Body(string networkId, params object[] prices) => new { networkId, energyPrices = prices };

    private async Task<JObject> NetworkWithDefaultPrice(double? price) =>
        await Api.Create("/v2/networks", new { name = "priced", maxCapacity = 30, defaultEnergyPrice = price });

    [Fact]
    public async Task Create_read_update_delete()
    {
        var changes = Host.Changes();
        var network = await Api.Network();
        var created = await Api.Post("/v2/prices/", Body(network.Id(), new { start = At(0), end = At(60), price = 0.32 },
            new { start = At(60), end = At(120), price = -0.05 }));
        Assert.Equal(201, created.Status);
        Assert.Equal(2, created.Total);
        Assert.Equal(0.32, (double)created.First["price"]!);
        Assert.Equal(-0.05, (double)created.Data[1]["price"]!);
        var id = created.First.Id();
        Assert.Equal(created.First.ToString(), (await Api.Get($"/v2/prices/{id}")).First.ToString());

        var updated = await Api.Patch($"/v2/prices/{id}", new { price = 0.4, start = At(-15) });
        Assert.Equal(0.4, (double)updated.First["price"]!);
        Assert.Equal("2031-04-30T23:45:00.000000+00:00", (string?)updated.First["start"]);
        Assert.Equal(200, (await Api.Delete($"/v2/prices/{id}")).Status);
        Assert.Equal(404, (await Api.Get($"/v2/prices/{id}")).Status);
        Assert.Equal(3, changes.Count(c => c.NetworkId == network.Id() && !c.Reason.StartsWith("network ")));
    }

    [Theory]
    [InlineData("""{"networkId": "NET", "energyPrices": [{"start": "2031-05-01T00:00:00Z", "end": "2031-05-01T01:00:00Z"}]}""", "energyPrices[0].price", "is required")]
    [InlineData("""{"networkId": "NET", "energyPrices": [{"start": "2031-05-01T00:00:00Z", "end": "2031-05-01T01:00:00Z", "price": "cheap"}]}""", "energyPrices[0].price", "must be a number")]
    [InlineData("""{"networkId": "NET", "energyPrices": [{"start": "2031-05-01T00:00:00Z", "end": "2031-05-01T01:00:00Z", "price": 1000}]}""", "energyPrices[0].price", "must be < 1000")]
    [InlineData("""{"networkId": "NET", "energyPrices": [{"start": "2031-05-01T02:00:00Z", "end": "2031-05-01T01:00:00Z", "price": 0.1}]}""", "energyPrices[0].end", "start < end")]
    [InlineData("""{"networkId": "x", "energyPrices": [{"start": "2031-05-01T00:00:00Z", "end": "2031-05-01T01:00:00Z", "price": 0.1}]}""", "networkId", "must be a UUID")]
    public async Task Invalid_prices_name_the_field(string body, string field, string reason)
    {
        var network = await Api.Network();
        var response = await Api.Post("/v2/prices", body.Replace("NET", network.Id()));
        Assert.Equal(400, response.Status);
        Assert.Contains(reason, response.FailFor(field));
        Assert.Equal(0, (await Api.Get($"/v2/prices?network={network.Id()}")).Total);
    }

    [Fact]
    public async Task List_filters_by_network_and_window_and_pages()
    {
        var network = await Api.Network();
        var other = await Api.Network();
        await Api.Create("/v2/prices", Body(network.Id(), new { start = At(0), end = At(60), price = 0.1 },
            new { start = At(60), end = At(120), price = 0.2 }, new { start = At(120), end = At(180), price = 0.3 }));
        await Api.Create("/v2/prices", Body(other.Id(), new { start = At(0), end = At(60), price = 0.9 }));

        Assert.Equal("is required", (await Api.Get("/v2/prices")).FailFor("network"));
        var all = await Api.Get($"/v2/prices?network={network.Id()}");
        Assert.Equal([0.1, 0.2, 0.3], all.Data.Select(d => (double)d["price"]!));
        Assert.Equal([0.2], (await Api.Get($"/v2/prices?network={network.Id()}&start={Q(60)}&end={Q(120)}")).Data.Select(d => (double)d["price"]!));
        Assert.Equal([0.2, 0.3], (await Api.Get($"/v2/prices?network={network.Id()}&start={Q(90)}")).Data.Select(d => (double)d["price"]!));
        Assert.Equal([0.1], (await Api.Get($"/v2/prices?network={network.Id()}&end={Q(60)}")).Data.Select(d => (double)d["price"]!));
        var page = await Api.Get($"/v2/prices?network={network.Id()}&limit=2&offset=2");
        Assert.Equal(3, page.Total);
        Assert.Equal([0.3], page.Data.Select(d => (double)d["price"]!));
    }

    [Fact]
    public async Task Auth_read_only_and_other_customers()
    {
        var network = await Api.Network();
        var body = Body(network.Id(), new { start = At(0), end = At(60), price = 0.1 });
        var created = await Api.Create("/v2/prices", body);
        await InputChecks.AuthAndTenancy(Host, "/v2/prices", created, body, new { price = 0.2 }, canDelete: true);
    }

    [Fact]
    public async Task Profile_uses_default_price_in_gaps_newest_creation_on_overlap_and_special_paging()
    {
        var network = await NetworkWithDefaultPrice(0.1);
        await Api.Create("/v2/prices", Body(network.Id(), new { start = At(0), end = At(30), price = 0.3 }));
        await Api.Create("/v2/prices", Body(network.Id(), new { start = At(15), end = At(30), price = 0.5 }));
        var url = $"/v2/profiles/prices?network={network.Id()}&start={Q(0)}&end={Q(60)}&intervalLength=15";

        var profile = await Api.Get(url);
        Assert.Equal(200, profile.Status);
        Assert.Equal(4, profile.Total);
        var data = (JObject)profile.Body["data"]!;
        Assert.Equal(15, (int)data["intervalLength"]!);
        Assert.Equal([0.3, 0.5, 0.1, 0.1], data["values"]!.Select(v => (double)v));

        var paged = await Api.Get(url + "&limit=2&offset=1");
        Assert.Equal(4, paged.Total);
        Assert.Equal(["2031-05-01T00:15:00.000000+00:00", "2031-05-01T00:30:00.000000+00:00"], paged.Body["data"]!["timestamps"]!.Select(v => (string)v!));
        Assert.Equal([0.5, 0.1], paged.Body["data"]!["values"]!.Select(v => (double)v));

        var halfHours = await Api.Get($"/v2/profiles/prices?network={network.Id()}&start={Q(0)}&end={Q(60)}&intervalLength=30");
        Assert.Equal([0.4, 0.1], halfHours.Body["data"]!["values"]!.Select(v => (double)v));

        var unpriced = await NetworkWithDefaultPrice(null);
        var nulls = await Api.Get($"/v2/profiles/prices?network={unpriced.Id()}&start={Q(0)}&end={Q(30)}");
        Assert.All(nulls.Body["data"]!["values"]!, v => Assert.Equal(JTokenType.Null, v.Type));

        Assert.Contains("limited to 7 days", (await Api.Get($"/v2/profiles/prices?network={network.Id()}&start={Q(0)}&end={Q(8 * 24 * 60)}")).FailFor("end"));
        Assert.Contains(">= 1", (await Api.Get(url.Replace("intervalLength=15", "intervalLength=0"))).FailFor("intervalLength"));
        Assert.Contains("between 1 and 1000", (await Api.Get(url + "&limit=0")).FailFor("limit"));
    }

    [Fact]
    public async Task Price_constraints_create_list_delete()
    {
        var changes = Host.Changes();
        var network = await Api.Network();
        var created = await Api.Post("/v2/prices/constraints/", new { networkId = network.Id(), energyPrice = 0.32, maxCapacityRatio = 0.43 });
        Assert.Equal(201, created.Status);
        Assert.Equal(0.43, (double)created.First["maxCapacityRatio"]!);
        await Api.Create("/v2/prices/constraints", new { networkId = network.Id(), energyPrice = 0.2, maxCapacityRatio = 0.8 });

        Assert.Equal("is required", (await Api.Get("/v2/prices/constraints")).FailFor("network"));
        var list = await Api.Get($"/v2/prices/constraints?network={network.Id()}");
        Assert.Equal([0.2, 0.32], list.Data.Select(d => (double)d["energyPrice"]!));
        Assert.Single((await Api.Get($"/v2/prices/constraints?network={network.Id()}&limit=1")).Data);

        Assert.Contains("must be <= 1", (await Api.Post("/v2/prices/constraints", new { networkId = network.Id(), energyPrice = 0.2, maxCapacityRatio = 1.5 })).FailFor("maxCapacityRatio"));
        Assert.Contains("is required", (await Api.Post("/v2/prices/constraints", new { networkId = network.Id(), maxCapacityRatio = 0.5 })).FailFor("energyPrice"));
        Assert.True((await Api.Patch($"/v2/prices/constraints/{created.First.Id()}", new { maxCapacityRatio = 0.5 })).Status is 404 or 405);

        Assert.Equal(200, (await Api.Delete($"/v2/prices/constraints/{created.First.Id()}")).Status);
        Assert.Equal(1, (await Api.Get($"/v2/prices/constraints?network={network.Id()}")).Total);
        Assert.Equal(3, changes.Count(c => c.NetworkId == network.Id() && !c.Reason.StartsWith("network ")));

        var body = new { networkId = network.Id(), energyPrice = 0.5, maxCapacityRatio = 0.1 };
        var again = await Api.Create("/v2/prices/constraints", body);
        await InputChecks.AuthAndTenancy(Host, "/v2/prices/constraints", again, body, patchBody: null, canDelete: true);
    }
}
