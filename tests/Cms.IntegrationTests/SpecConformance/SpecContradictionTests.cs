using Cms.Core.Storage;
using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;
using Cms.Ocpp.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using static Cms.IntegrationTests.Harness.InputChecks;

namespace Cms.IntegrationTests.SpecConformance;

/// <summary>Requests the spec documents (often its own samples) that AmpCMS used to refuse or answer wrongly.</summary>
public sealed class SpecContradictionTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TestHost Host => fixture.Host;
    private ApiClient Api => fixture.Host.Admin;

    [Fact]
    public async Task Connector_accepts_the_specs_own_sample_with_currentChargingLoad_and_shows_the_measured_load()
    {
        var network = await Api.Network();
        var cp = await Api.ChargePoint(network.Id());
        // The spec's POST /v2/connectors/ request sample, verbatim but for the charge point id.
        var sample = $$"""
            {"chargePointId": "{{cp.Id()}}", "connectorId": 1, "currentType": "DC", "name": "EVSE 1 Con 1", "voltage": 230,
             "plugType": "CHAdeMO", "plugPowerLevel": "Level 1", "ocppStatus": "Available", "ocppStatusUpdate": "2020-10-11T08:19:00",
             "ocpiStatus": "AVAILABLE", "priority": 5, "currentChargingLoad": 2.3, "maxAmperage": 5, "maxCapacity": 22, "powerFactor": 0.93}
            """;
        var created = await Api.Post("/v2/connectors/", sample);
        Assert.Equal(201, created.Status);
        Assert.Equal(0.0, (double)created.First["currentChargingLoad"]!); // no session: nothing is drawn
        Assert.Equal(0.93, (double)created.First["powerFactor"]!);

        var patched = await Api.Patch($"/v2/connectors/{created.First.Id()}", new { currentChargingLoad = 4.0, priority = 2 });
        Assert.Equal(200, patched.Status);
        Assert.Equal(2L, (long)patched.First["priority"]!);
        Assert.Equal("must be a number", (await Api.Patch($"/v2/connectors/{created.First.Id()}", new { currentChargingLoad = "a lot" })).FailFor("currentChargingLoad"));
        Assert.Equal("must be >= 0", (await Api.Patch($"/v2/connectors/{created.First.Id()}", new { currentChargingLoad = -1 })).FailFor("currentChargingLoad"));
        // Other computed fields are still refused.
        Assert.Contains("computed", (await Api.Patch($"/v2/connectors/{created.First.Id()}", new { currentLimit = 3 })).FailFor("currentLimit"));
    }

    [Fact]
    public async Task Charge_points_sort_with_the_deprecated_sort_by_and_order()
    {
        var network = await Api.Network();
        await Api.Create("/v2/charge_points", new { maxCapacity = 22, networkId = network.Id(), customName = "b-second" });
        await Api.Create("/v2/charge_points", new { maxCapacity = 22, networkId = network.Id(), customName = "a-first" });
        await Api.Create("/v2/charge_points", new { maxCapacity = 11, networkId = network.Id(), customName = "c-third" });
        async Task<string[]> Names(string query)
        {
            var response = await Api.Get($"/v2/charge_points?network={network.Id()}&{query}");
            Assert.Equal(200, response.Status);
            return response.Data.Select(d => (string)d["customName"]!).ToArray();
        }

        Assert.Equal(["a-first", "b-second", "c-third"], await Names("sort_by=custom_name&order=ascending"));
        Assert.Equal(["c-third", "b-second", "a-first"], await Names("sort_by=custom_name&order=descending"));
        Assert.Equal(["c-third", "b-second", "a-first"], await Names("sort_by=custom_name")); // order defaults to descending
        Assert.Equal("c-third", (await Names("sort_by=max_capacity&order=ascending"))[0]);
        Assert.Equal(await Names("sort=custom_name:asc"), await Names("sort_by=custom_name&order=ascending"));

        Assert.Contains("must be one of", (await Api.Get($"/v2/charge_points?sort_by=vendor")).FailFor("sort_by"));
        Assert.Contains("must be one of", (await Api.Get($"/v2/charge_points?sort_by=name&order=up")).FailFor("order"));
        Assert.Contains("cannot be combined with sort", (await Api.Get($"/v2/charge_points?sort=name:asc&sort_by=name")).FailFor("sort_by"));
        // Only charge points document them.
        Assert.Equal("unknown query parameter", (await Api.Get($"/v2/connectors?sort_by=name")).FailFor("sort_by"));
    }

    [Fact]
    public async Task Charge_point_password_is_stored_only_as_a_hash_and_never_shown()
    {
        var network = await Api.Network();
        var created = await Api.Post("/v2/charge_points", new { maxCapacity = 22, networkId = network.Id(), password = "plain-text-pass-1" });
        Assert.Equal(201, created.Status);
        Assert.Null(created.First["password"]);
        Assert.DoesNotContain("plain-text-pass-1", (await Api.Get($"/v2/charge_points/{created.First.Id()}")).Body.ToString());
        var stored = await StoredPassword(created.First.Id());
        Assert.StartsWith("pbkdf2-sha256$", stored);
        Assert.DoesNotContain("plain-text-pass-1", stored);

        Assert.Equal(200, (await Api.Patch($"/v2/charge_points/{created.First.Id()}", new { password = "another-pass-2" })).Status);
        var changed = await StoredPassword(created.First.Id());
        Assert.StartsWith("pbkdf2-sha256$", changed);
        Assert.NotEqual(stored, changed);
        Assert.Equal("must be a string", (await Api.Patch($"/v2/charge_points/{created.First.Id()}", new { password = 1234 })).FailFor("password"));
        Assert.Equal(changed, await StoredPassword(created.First.Id()));
    }

    private async Task<string?> StoredPassword(string id) =>
        await Host.Services.GetRequiredService<Database>().ReadAsync(conn =>
            conn.ExecuteScalarAsync<string?>("SELECT password FROM charge_points WHERE id = @id", new { id }));

    [Fact]
    public async Task Users_me_by_email_lists_the_callers_accounts_in_every_organization()
    {
        var email = $"multi-{Guid.NewGuid():N}@example.com";
        var name = "multi-" + Guid.NewGuid().ToString("N")[..8];
        var mine = await Api.Create("/v2/users", new { name, password = "pass-word-1", firstName = "M", lastName = "O", email });
        var other = await SecondCustomer.CreateAsync(Host, "mo-" + Guid.NewGuid().ToString("N")[..8]);
        var theirs = await other.Create("/v2/users", new { name = name + "-b", password = "pass-word-2", firstName = "M", lastName = "O", email });
        var login = await Api.Post("/v2/users/login", new { name, password = "pass-word-1" });
        using var me = Host.Client((string)login.First["token"]!);

        var accounts = await me.Get($"/v2/users/me?email={Uri.EscapeDataString(email.ToUpperInvariant())}");
        Assert.Equal(200, accounts.Status);
        Assert.Equal(2, accounts.Total);
        Assert.Equal(new[] { mine.Id(), theirs.Id() }.Order(), accounts.Data.Select(d => (string)d["id"]!).Order());
        Assert.All(accounts.Data, a => Assert.Null(a["password"]));
        Assert.Equal(1, (await me.Get("/v2/users/me")).Total);

        var someoneElse = await me.Get("/v2/users/me?email=admin@example.com");
        Assert.Equal(403, someoneElse.Status);
        Assert.NotNull(someoneElse.FailFor("email"));
        Assert.NotNull((await me.Get("/v2/users/me?email=")).FailFor("email"));
    }

    [Fact]
    public async Task Price_lists_past_the_default_limit_point_to_their_next_page()
    {
        var network = await Api.Network();
        var prices = Enumerable.Range(0, 150).Select(i => new { start = At(i * 15), end = At(i * 15 + 15), price = i / 1000.0 }).ToArray();
        Assert.Equal(201, (await Api.Post("/v2/prices", new { networkId = network.Id(), energyPrices = prices })).Status);

        using var http = new HttpClient { BaseAddress = Host.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", TestHost.AdminToken);
        var seen = new List<double>();
        var url = $"/v2/prices?network={network.Id()}";
        var pages = 0;
        while (url is not null)
        {
            using var response = await http.GetAsync(url);
            var body = ApiClient.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(150L, (long)body["total"]!);
            seen.AddRange(body["data"]!.Select(d => (double)d["price"]!));
            url = response.Headers.TryGetValues("Link", out var links) ? NextLink(links.Single()) : null;
            pages++;
        }
        Assert.Equal(2, pages);
        Assert.Equal(prices.Select(p => p.price), seen);
        Assert.Equal(150, (await Api.Get($"/v2/prices?network={network.Id()}&limit=1000")).Data.Count);
    }

    private static string NextLink(string header)
    {
        Assert.EndsWith("; rel=\"next\"", header);
        return header[1..header.IndexOf('>')];
    }

    [Fact]
    public async Task Events_sort_by_source()
    {
        var site = await Site.CreateAsync(Api, "events-sort");
        await site.StartAsync(Api);
        await OcppKit.EventuallyAsync(() => Api.Get($"/v2/events?network={site.NetworkId}"), r => r.Total > 0, "an optimization event");
        foreach (var sort in new[] { "source", "source:desc", "datetime:asc", "urgency", "category:desc" })
        {
            var response = await Api.Get($"/v2/events?network={site.NetworkId}&sort={sort}");
            Assert.True(response.Status == 200, $"sort={sort}: {response}");
        }
        Assert.Contains("sortable", (await Api.Get($"/v2/events?network={site.NetworkId}&sort=colour")).FailFor("sort"));
    }

    [Fact]
    public async Task Events_with_only_end_cover_the_24_hours_before_it()
    {
        var site = await Site.CreateAsync(Api, "events-window");
        await site.StartAsync(Api);
        await OcppKit.EventuallyAsync(() => Api.Get($"/v2/events?network={site.NetworkId}"), r => r.Total > 0, "an optimization event");
        var now = DateTimeOffset.UtcNow;
        Assert.True((await Api.Get($"/v2/events?network={site.NetworkId}&end={Stamp(now.AddHours(1))}")).Total > 0);
        Assert.Equal(0, (await Api.Get($"/v2/events?network={site.NetworkId}&end={Stamp(now.AddHours(30))}")).Total);
        Assert.Equal(0, (await Api.Get($"/v2/events?network={site.NetworkId}&end={Stamp(now.AddHours(-1))}")).Total);
    }

    [Fact]
    public async Task Ocpp_events_default_window_follows_the_bound_given()
    {
        var ocppId = OcppKit.NewOcppId("window");
        Assert.Equal(404, await WsClient.ConnectExpectingRefusalAsync(Host.OcppUri($"ocpp/{ocppId}"), ["ocpp1.6"], null));
        var now = DateTimeOffset.UtcNow;
        async Task<long> Count(string window) => (await Api.Get($"/v2/ocpp_events?chargepoint_serial={ocppId}&{window}")).Total;

        Assert.Equal(1, await Count(""));
        // Only end: the 24 hours before it (it used to be the 24 hours before now, whatever end said).
        Assert.Equal(1, await Count($"end={Stamp(now.AddHours(1))}"));
        Assert.Equal(0, await Count($"end={Stamp(now.AddHours(30))}"));
        // Only start: the 24 hours after it.
        Assert.Equal(1, await Count($"start={Stamp(now.AddHours(-1))}"));
        Assert.Equal(0, await Count($"start={Stamp(now.AddHours(-30))}"));
        Assert.Equal(1, await Count($"start={Stamp(now.AddHours(-30))}&end={Stamp(now.AddHours(1))}"));
    }

    [Fact]
    public async Task Network_accepts_the_specs_sample_yearly_consumption_written_as_a_string()
    {
        // The spec's POST /v2/networks/ sample sends "baseloadAvgYearlyConsumption": "2,000" for a number field.
        var created = await Api.Post("/v2/networks/", new { name = "sample", maxCapacity = 22, baseloadAvgYearlyConsumption = "2,000" });
        Assert.Equal(201, created.Status);
        Assert.Equal(2000.0, (double)created.First["baseloadAvgYearlyConsumption"]!);
        Assert.Equal(1500.5, (double)(await Api.Patch($"/v2/networks/{created.First.Id()}", new { baseloadAvgYearlyConsumption = 1500.5 })).First["baseloadAvgYearlyConsumption"]!);
        Assert.Contains("numeric string", (await Api.Patch($"/v2/networks/{created.First.Id()}", new { baseloadAvgYearlyConsumption = "a lot" })).FailFor("baseloadAvgYearlyConsumption"));
        Assert.Equal("must be >= 0", (await Api.Patch($"/v2/networks/{created.First.Id()}", new { baseloadAvgYearlyConsumption = "-5" })).FailFor("baseloadAvgYearlyConsumption"));
    }

    [Fact]
    public async Task Capacities_with_only_one_bound_keep_the_default_twelve_hour_width_from_it()
    {
        var network = await Api.Network(maxCapacity: 10);
        await Api.Create("/v2/capacities", new
        {
            networkId = network.Id(),
            maxCapacityIntervals = new[] { new { start = At(0), end = At(60), maxCapacity = 20 } },
        });
        async Task<ApiResponse> List(string window) => await Api.Get($"/v2/capacities?network={network.Id()}&{window}");

        // A past end alone used to meet the default start (now) and fail as an inverted window.
        var before = await List($"end={Q(120)}");
        Assert.Equal(200, before.Status);
        Assert.Equal(1, before.Total);
        Assert.Equal(0, (await List($"end={Q(13 * 60 + 30)}")).Total); // 12 hours before it starts after the interval
        Assert.Equal(1, (await List($"start={Q(-60)}")).Total);
        Assert.Equal(0, (await List($"start={Q(-13 * 60)}")).Total);
    }

    private static string Stamp(DateTimeOffset t) => Uri.EscapeDataString(t.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'"));
}
