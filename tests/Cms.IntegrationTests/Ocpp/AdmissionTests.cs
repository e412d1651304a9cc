using Cms.IntegrationTests.Harness;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Ocpp;

/// <summary>Who may connect at /ocpp/{customer}/{ocppId}, and the ocpp events that tell an operator why not.</summary>
public sealed class AdmissionTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private static readonly string[] Ocpp16 = ["ocpp1.6"];
    private TestHost Host => fixture.Host;

    private sealed record Tenant(ApiClient Api, string ShortName, string NetworkId);

    /// <summary>A customer of its own (settings are per customer) with a customer secret and a defaultNetworkId.</summary>
    private async Task<Tenant> TenantAsync(string secret = "customer-secret-1")
    {
        var shortName = "adm-" + Guid.NewGuid().ToString("N")[..8];
        var api = await SecondCustomer.CreateAsync(Host, shortName);
        var network = await api.Network();
        Assert.Equal(201, (await api.Post("/v2/configurations/ocpp_settings", new { secret, feature = "cms", defaultNetworkId = network.Id() })).Status);
        return new Tenant(api, shortName, network.Id());
    }

    private static async Task<string> ChargePointAsync(Tenant t, string ocppId, string? secret = null)
    {
        var cp = await t.Api.Create("/v2/charge_points/", new { name = "cp", maxCapacity = 22, networkId = t.NetworkId, ocppId });
        if (secret is not null)
            Assert.Equal(201, (await t.Api.Post($"/v2/configurations/ocpp_settings/charge_points/{cp.Id()}", new { secret })).Status);
        return cp.Id();
    }

    private Uri Url(Tenant t, string ocppId) => Host.OcppUri($"ocpp/{t.ShortName}/{ocppId}");

    private async Task Accepted(Uri url, (string, string)? basic)
    {
        await using var client = await WsClient.ConnectAsync(url, Ocpp16, basic);
        Assert.Equal("ocpp1.6", client.Socket.SubProtocol);
        var answer = await client.CallAsync("h1", "Heartbeat", "{}");
        Assert.Equal(3, (int)answer[0]);
    }

    private static Task<int> Refused(Uri url, (string, string)? basic, string[]? protocols = null) =>
        WsClient.ConnectExpectingRefusalAsync(url, protocols ?? Ocpp16, basic);

    [Fact]
    public async Task The_charge_point_secret_wins_over_the_customer_secret_and_wrong_or_missing_passwords_get_401()
    {
        var t = await TenantAsync();
        var own = OcppKit.NewOcppId("own");
        await ChargePointAsync(t, own, secret: "charge-point-secret");
        var shared = OcppKit.NewOcppId("shared");
        await ChargePointAsync(t, shared);

        await Accepted(Url(t, own), (own, "charge-point-secret"));
        Assert.Equal(401, await Refused(Url(t, own), (own, "customer-secret-1")));
        Assert.Equal(401, await Refused(Url(t, own), (own, "wrong")));
        Assert.Equal(401, await Refused(Url(t, own), null));
        Assert.Equal(401, await Refused(Url(t, own), ("someone-else", "charge-point-secret")));

        await Accepted(Url(t, shared), (shared, "customer-secret-1"));
        Assert.Equal(401, await Refused(Url(t, shared), (shared, "charge-point-secret")));
    }

    [Fact]
    public async Task An_unknown_charger_with_the_customer_secret_is_created_in_the_default_network_otherwise_404()
    {
        var t = await TenantAsync();
        var stranger = OcppKit.NewOcppId("stranger");
        Assert.Equal(404, await Refused(Url(t, stranger), (stranger, "wrong")));
        Assert.Equal(404, await Refused(Url(t, stranger), null));
        Assert.Equal(0, (await t.Api.Get($"/v2/charge_points?network={t.NetworkId}")).Total);

        var newcomer = OcppKit.NewOcppId("new");
        await Accepted(Url(t, newcomer), (newcomer, "customer-secret-1"));
        var created = (await t.Api.Get($"/v2/charge_points?network={t.NetworkId}")).Data.Cast<JObject>().Single();
        Assert.Equal(newcomer, (string?)created["ocppId"]);
        Assert.Equal(t.NetworkId, (string?)created["networkId"]);
        Assert.Equal("ocpp1.6", (string?)created["protocol"]);

        // The second time it is known, and not created again.
        await Accepted(Url(t, newcomer), (newcomer, "customer-secret-1"));
        Assert.Equal(1, (await t.Api.Get($"/v2/charge_points?network={t.NetworkId}")).Total);

        var events = (await t.Api.Get("/v2/ocpp_events?type=Authentication")).Data.Cast<JObject>().ToList();
        Assert.Contains(events, e => (string?)e["chargepointSerial"] == stranger && (string?)e["urgency"] == "Warning" && ((string?)e["description"])!.Contains("404"));
        Assert.Contains(events, e => (string?)e["chargepointSerial"] == newcomer && (string?)e["chargePointId"] == created.Id()
            && (string?)e["networkId"] == t.NetworkId && ((string?)e["description"])!.Contains("created"));
    }

    [Fact]
    public async Task Feature_off_for_the_customer_or_the_charge_point_refuses_with_403()
    {
        var t = await TenantAsync();
        var a = OcppKit.NewOcppId("a");
        var aId = await ChargePointAsync(t, a);
        var b = OcppKit.NewOcppId("b");
        await ChargePointAsync(t, b);

        Assert.Equal(200, (await t.Api.Patch($"/v2/configurations/ocpp_settings/charge_points/{aId}", new { feature = "off" })).Status);
        Assert.Equal(403, await Refused(Url(t, a), (a, "customer-secret-1")));
        await Accepted(Url(t, b), (b, "customer-secret-1"));

        Assert.Equal(200, (await t.Api.Patch("/v2/configurations/ocpp_settings", new { feature = "off" })).Status);
        Assert.Equal(403, await Refused(Url(t, b), (b, "customer-secret-1")));
        // A charge point's own setting wins over its customer's.
        Assert.Equal(200, (await t.Api.Patch($"/v2/configurations/ocpp_settings/charge_points/{aId}", new { feature = "cms" })).Status);
        await Accepted(Url(t, a), (a, "customer-secret-1"));

        Assert.Equal(200, (await t.Api.Patch("/v2/configurations/ocpp_settings", new { feature = "proxy" })).Status);
        Assert.Equal(403, await Refused(Url(t, b), (b, "customer-secret-1")));
        var events = (await t.Api.Get($"/v2/ocpp_events?type=Authentication&chargepoint_serial={b}")).Data;
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Contains("403", (string?)e["description"]));
    }

    [Fact]
    public async Task Missing_subprotocol_unknown_customer_and_plain_http_are_refused()
    {
        var t = await TenantAsync();
        var a = OcppKit.NewOcppId("p");
        await ChargePointAsync(t, a);
        Assert.Equal(400, await Refused(Url(t, a), (a, "customer-secret-1"), protocols: []));
        Assert.Equal(400, await Refused(Url(t, a), (a, "customer-secret-1"), protocols: ["ocpp1.5"]));
        Assert.Equal(404, await Refused(Host.OcppUri($"ocpp/no-such-customer/{a}"), (a, "customer-secret-1")));
        using var http = new HttpClient { BaseAddress = Host.BaseAddress };
        Assert.Equal(400, (int)(await http.GetAsync($"/ocpp/{t.ShortName}/{a}")).StatusCode);
    }

    [NodeFact]
    public async Task Ocpp_rpc_with_the_right_password_connects_and_with_a_wrong_one_gets_401()
    {
        var t = await TenantAsync();
        var a = OcppKit.NewOcppId("rpc");
        await ChargePointAsync(t, a, secret: "charge-point-secret");
        await using (var good = await Host.ConnectAsync($"ocpp/{t.ShortName}/{a}", password: "charge-point-secret"))
        {
            await good.BootAsync();
            good.AssertNoComplaints();
        }
        await using var bad = NodeCharger.Start(Url(t, a), "ocpp1.6", "not-it");
        Assert.Equal(401, (int?)(await bad.WaitForEventAsync("fatal"))["status"]);
    }
}
