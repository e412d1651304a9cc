using Cms.IntegrationTests.Harness;
using Newtonsoft.Json.Linq;
using static Cms.IntegrationTests.Harness.InputChecks;

namespace Cms.IntegrationTests.Planning;

/// <summary>
/// /v2/baseloads and /v2/solar_meterings are the same kind of resource (kW samples of a network); one set of tests
/// runs against each through the subclasses below.
/// </summary>
public abstract class MeteredLoadTests(HostFixture fixture, string resource, string batchField) : IClassFixture<HostFixture>
{
    private TestHost Host => fixture.Host;
    private ApiClient Api => fixture.Host.Admin;
    private readonly string _path = "/v2/" + resource;

    private object Body(string networkId, params object[] values) => new JObject
    {
        ["networkId"] = networkId,
        [batchField] = JArray.FromObject(values),
    };

    [Fact]
    public async Task Create_in_batches_read_and_no_update_or_delete()
    {
        var changes = Host.Changes();
        var network = await Api.Network();
        var created = await Api.Post(_path + "/", Body(network.Id(), new { timestamp = At(0), value = 12.5 }, new { timestamp = At(5), value = 13 }));
        Assert.Equal(201, created.Status);
        Assert.Equal(2, created.Total);
        Assert.Equal(12.5, (double)created.First["value"]!);
        Assert.Equal("2031-05-01T00:00:00.000000+00:00", (string?)created.First["timestamp"]);
        Assert.Equal(network.Id(), (string?)created.First["networkId"]);
        Assert.Single(changes, c => c.NetworkId == network.Id() && !c.Reason.StartsWith("network "));
        Assert.Equal(created.First.ToString(), (await Api.Get($"{_path}/{created.First.Id()}")).First.ToString());
        Assert.True((await Api.Patch($"{_path}/{created.First.Id()}", new { value = 1 })).Status is 404 or 405);
        Assert.True((await Api.Delete($"{_path}/{created.First.Id()}")).Status is 404 or 405);
    }

    [Theory]
    [InlineData("""{"networkId": "NET", "FIELD": [{"timestamp": "2031-05-01T00:00:00Z", "value": -1}]}""", "FIELD[0].value", "must be >= 0")]
    [InlineData("""{"networkId": "NET", "FIELD": [{"value": 1}]}""", "FIELD[0].timestamp", "is required")]
    [InlineData("""{"networkId": "NET", "FIELD": [{"timestamp": "2031-05-01T00:00:00Z", "value": 1}, {"timestamp": "2031-05-01T00:00:00Z", "value": true}]}""", "FIELD[1].value", "must be a number")]
    [InlineData("""{"networkId": "NET", "FIELD": []}""", "FIELD", "at least one")]
    public async Task Invalid_values_name_the_field_and_store_nothing(string body, string field, string reason)
    {
        var network = await Api.Network();
        var response = await Api.Post(_path, body.Replace("NET", network.Id()).Replace("FIELD", batchField));
        Assert.Equal(400, response.Status);
        Assert.Contains(reason, response.FailFor(field.Replace("FIELD", batchField)));
        Assert.Equal(0, (await Api.Get($"{_path}?network={network.Id()}")).Total);
    }

    [Fact]
    public async Task List_requires_network_and_pages()
    {
        var network = await Api.Network();
        var other = await Api.Network();
        await Api.Create(_path, Body(network.Id(), new { timestamp = At(10), value = 2 }, new { timestamp = At(0), value = 1 }, new { timestamp = At(20), value = 3 }));
        await Api.Create(_path, Body(other.Id(), new { timestamp = At(0), value = 9 }));
        Assert.Equal("is required", (await Api.Get(_path)).FailFor("network"));
        Assert.Equal([1.0, 2, 3], (await Api.Get($"{_path}?network={network.Id()}")).Data.Select(d => (double)d["value"]!));
        var page = await Api.Get($"{_path}?network={network.Id()}&limit=2&offset=1");
        Assert.Equal(3, page.Total);
        Assert.Equal([2.0, 3], page.Data.Select(d => (double)d["value"]!));
        Assert.Equal("unknown query parameter", (await Api.Get($"{_path}?network={network.Id()}&start={Q(0)}")).FailFor("start"));
    }

    [Fact]
    public async Task Auth_read_only_and_other_customers()
    {
        var network = await Api.Network();
        var body = Body(network.Id(), new { timestamp = At(0), value = 1 });
        var created = await Api.Create(_path, body);
        await InputChecks.AuthAndTenancy(Host, _path, created, body, patchBody: null, canDelete: false);
    }

    [Fact]
    public async Task Profile_lists_the_samples_in_the_window_compactly_with_special_paging()
    {
        var network = await Api.Network();
        await Api.Create(_path, Body(network.Id(), new { timestamp = At(-5), value = 0.5 }, new { timestamp = At(0), value = 1 },
            new { timestamp = At(15), value = 2 }, new { timestamp = At(30), value = 3 }, new { timestamp = At(60), value = 4 }));
        var url = $"/v2/profiles/{resource}?network={network.Id()}&start={Q(0)}&end={Q(60)}";
        var profile = await Api.Get(url);
        Assert.Equal(200, profile.Status);
        Assert.Equal(3, profile.Total);
        var data = (JObject)profile.Body["data"]!;
        Assert.Equal("kW", (string?)data["unit"]);
        Assert.Equal([1.0, 2, 3], data["values"]!.Select(v => (double)v));
        Assert.Equal("2031-05-01T00:15:00.000000+00:00", (string?)data["timestamps"]![1]);
        var paged = await Api.Get(url + "&limit=1&offset=1");
        Assert.Equal(3, paged.Total);
        Assert.Equal([2.0], paged.Body["data"]!["values"]!.Select(v => (double)v));
        using var anonymous = Host.Client(null!);
        Assert.Equal(401, (await anonymous.Get(url)).Status);
    }

    [Fact]
    public async Task Profile_without_network_holds_the_samples_of_every_network_of_the_customer()
    {
        // The spec does not mark network required here (it does on GET /v2/{resource}); a fresh tenant keeps the count exact.
        var tenant = await SecondCustomer.CreateAsync(Host, "ml-" + Guid.NewGuid().ToString("N")[..8]);
        var first = await tenant.Network();
        var second = await tenant.Network();
        await tenant.Create(_path, Body(first.Id(), new { timestamp = At(0), value = 1 }));
        await tenant.Create(_path, Body(second.Id(), new { timestamp = At(30), value = 5 }));
        await Api.Create(_path, Body((await Api.Network()).Id(), new { timestamp = At(10), value = 7 }));

        var all = await tenant.Get($"/v2/profiles/{resource}?start={Q(0)}&end={Q(60)}");
        Assert.Equal(200, all.Status);
        Assert.Equal(2, all.Total);
        Assert.Equal(JTokenType.Null, all.Body["data"]!["network"]!.Type);
        Assert.Equal([1.0, 5], all.Body["data"]!["values"]!.Select(v => (double)v));
        var one = await tenant.Get($"/v2/profiles/{resource}?network={second.Id()}&start={Q(0)}&end={Q(60)}");
        Assert.Equal([5.0], one.Body["data"]!["values"]!.Select(v => (double)v));
        Assert.Equal(404, (await tenant.Get($"/v2/profiles/{resource}?network={Guid.NewGuid()}")).Status);
    }
}

public sealed class BaseloadTests(HostFixture fixture) : MeteredLoadTests(fixture, "baseloads", "baseloadMeterValues");

public sealed class SolarMeteringTests(HostFixture fixture) : MeteredLoadTests(fixture, "solar_meterings", "solarMeterValues");
