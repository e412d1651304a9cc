using System.Net.WebSockets;
using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json.Linq;
using Xunit.Abstractions;

namespace Cms.IntegrationTests.Robustness;

/// <summary>
/// Two customers with users of every type. Every route the host maps, with every method, aimed at the other customer's
/// ids answers 404 (read_only: 403 on every write); nothing of customer A shows in B's answers; A's chargers cannot be
/// reached through B's OCPP path, secret or REST calls.
/// </summary>
public sealed class TenantMatrixTests(HostFixture fixture, ITestOutputHelper output) : IClassFixture<HostFixture>
{
    private static readonly string[] UserTypes = ["admin", "user", "service", "read_only"];
    private TestHost Host => fixture.Host;

    private async Task<Dictionary<string, ApiClient>> UsersOfEveryType(ApiClient admin)
    {
        var users = new Dictionary<string, ApiClient> { ["admin"] = admin };
        foreach (var type in UserTypes.Skip(1))
        {
            var name = $"{type}-{Guid.NewGuid():N}";
            await admin.Create("/v2/users/", new { name, password = "s3cret-pass", firstName = "T", lastName = "U", type });
            var login = await admin.Post("/v2/users/login", new { name, password = "s3cret-pass" });
            Assert.Equal(200, login.Status);
            users[type] = Host.Client((string)login.First["token"]!);
        }
        return users;
    }

    [Fact]
    public async Task Every_route_and_method_with_the_other_customers_ids_answers_404_and_read_only_gets_403_on_writes()
    {
        var a = await TenantWorld.CreateAsync(Host.Admin, "tenant-a");
        var bAdmin = await SecondCustomer.CreateAsync(Host, "tenant-b-" + Guid.NewGuid().ToString("N")[..6]);
        var b = await TenantWorld.CreateAsync(bAdmin, "tenant-b");
        var aUsers = await UsersOfEveryType(Host.Admin);
        var bUsers = await UsersOfEveryType(bAdmin);
        var secrets = new[] { a.NetworkId, a.ChargePointId, a.OcppId, (string)a.Session["id"]!, a.Site.Connector1 };
        var aBefore = await CountsAsync(Host.Admin);

        var routes = MappedEndpoints.Of(Host).Where(e => e.Path != "/v2/users/login").ToList();
        var uncovered = new List<string>();
        var checkedCalls = 0;
        foreach (var route in routes)
        {
            var ids = await a.IdsForAsync(route);
            if (ids is null) uncovered.Add(route.ToString());
            var path = ids is null ? route.Fill(route.Parameters.ToDictionary(p => p, _ => Guid.NewGuid().ToString())) : route.Fill(ids);
            var body = b.Bodies.GetValueOrDefault(route.Collection) ?? new JObject();
            // A's body for A's collection: every reference in it is A's.
            var foreignBody = a.Bodies.GetValueOrDefault(route.Collection) ?? body;
            foreach (var (type, client) in bUsers)
            {
                var response = await client.Send(new HttpMethod(route.Method), route.HasParameters ? path : WithForeignFilters(path, a), route.IsWrite ? foreignBody : null);
                checkedCalls++;
                var what = $"{type} of B: {route.Method} {path} → {response}";
                // A refusal may echo what B sent; an answer with data must hold nothing of A's.
                if (response.Status < 300)
                    foreach (var secret in secrets)
                        Assert.False(response.ToString().Contains(secret, StringComparison.Ordinal), $"B sees A's {secret}: {what}");
                if (type == "read_only" && route.IsWrite) Assert.True(response.Status == 403, what);
                else if (route.HasParameters && route.Method == "GET") Assert.True(response.Status == 404, what);
                else if (route.HasParameters)
                {
                    // A body (or a role) may be refused before the row is looked up; then A's id must get exactly what an
                    // id that exists nowhere gets, so the answer tells B nothing about A.
                    // Only the route's first parameter (the row) is swapped; a transaction number stays a number.
                    var random = route.Parameters.Select((p, i) => (p, v: i == 0 || ids is null ? Guid.NewGuid().ToString() : ids[p])).ToDictionary(x => x.p, x => x.v);
                    var baseline = await client.Send(new HttpMethod(route.Method), route.Fill(random), foreignBody);
                    var expected = random.Aggregate(baseline.ToString(), (text, p) => ids is null ? text : text.Replace(p.Value, ids[p.Key]));
                    Assert.True(response.Status is 404 or 400 or 403 or 405 && (ids is null || response.ToString() == expected), $"{what}; an id that exists nowhere → {baseline}");
                }
                else Assert.True(response.Status < 500, what);
            }
            if (route.IsWrite)
            {
                var readOnly = await aUsers["read_only"].Send(new HttpMethod(route.Method), path, body);
                Assert.True(readOnly.Status == 403, $"read_only of A: {route} → {readOnly}");
            }
            else if (ids is not null)
            {
                var own = await Host.Admin.Get(path);
                Assert.True(own.Status < 500 && own.Status != 404, $"A's own {route} → {own}: the id it was tested with is not real");
            }
        }
        Assert.Equal(aBefore, await CountsAsync(Host.Admin));
        output.WriteLine($"{routes.Count} routes, {checkedCalls} calls by B's users; routes without A rows (tried with random ids): {string.Join(", ", uncovered)}");
    }

    [Fact]
    public async Task A_charger_of_customer_A_cannot_be_reached_through_customer_B()
    {
        var a = await TenantWorld.CreateAsync(Host.Admin, "ocpp-a");
        var bShort = "ocpp-b-" + Guid.NewGuid().ToString("N")[..6];
        var bAdmin = await SecondCustomer.CreateAsync(Host, bShort);
        var bNetwork = await bAdmin.Network();
        Assert.Equal(201, (await bAdmin.Post("/v2/configurations/ocpp_settings", new { secret = "b-customer-secret", feature = "cms", defaultNetworkId = bNetwork.Id() })).Status);
        string[] ocpp16 = ["ocpp1.6"];

        // A's charger, by A's path and secret: admitted.
        await using var charger = await WsClient.ConnectAsync(Host.OcppUri($"ocpp/{a.OcppId}"), ocpp16, (a.OcppId, "cp-secret-ocpp-a"));
        Assert.Equal(3, (int)(await charger.CallAsync("boot", "BootNotification", """{"chargePointVendor":"A","chargePointModel":"m"}"""))[0]);

        // B's REST calls cannot send to A's charger.
        var byOcppId = await bAdmin.Post($"/v2/ocpp_messages/{a.OcppId}/", JArray.Parse("""[2,"x","Reset",{"type":"Hard"}]"""));
        Assert.True(byOcppId.Status == 404, byOcppId.ToString());
        var byId = await bAdmin.Post("/v2/ocpp_messages", new JObject { ["chargePointId"] = a.ChargePointId, ["sendToCharger"] = true, ["body"] = JArray.Parse("""[2,"y","Reset",{"type":"Hard"}]""") });
        Assert.True(byId.Status == 404, byId.ToString());

        // B's secret on A's path, by default or by name: refused.
        Assert.Equal(401, await WsClient.ConnectExpectingRefusalAsync(Host.OcppUri($"ocpp/{a.OcppId}"), ocpp16, (a.OcppId, "b-customer-secret")));
        Assert.Equal(401, await WsClient.ConnectExpectingRefusalAsync(Host.OcppUri($"ocpp/default/{a.OcppId}"), ocpp16, (a.OcppId, "b-customer-secret")));
        // A's secret on B's path: not B's charger.
        Assert.Equal(404, await WsClient.ConnectExpectingRefusalAsync(Host.OcppUri($"ocpp/{bShort}/{a.OcppId}"), ocpp16, (a.OcppId, "cp-secret-ocpp-a")));
        // B's secret on B's path makes a charger of B's own with that name; A's stays connected and untouched.
        await using (var twin = await WsClient.ConnectAsync(Host.OcppUri($"ocpp/{bShort}/{a.OcppId}"), ocpp16, (a.OcppId, "b-customer-secret")))
            Assert.Equal(3, (int)(await twin.CallAsync("boot", "BootNotification", """{"chargePointVendor":"B","chargePointModel":"m"}"""))[0]);
        var bCharger = Assert.Single((await bAdmin.Get("/v2/charge_points")).Data, cp => (string?)cp["ocppId"] == a.OcppId);
        Assert.NotEqual(a.ChargePointId, (string?)bCharger["id"]);

        // The next frame A's charger receives is the answer to its own call: nothing of B's reached it.
        var answer = await charger.CallAsync("after", "Heartbeat", "{}");
        Assert.Equal("after", (string?)answer[1]);
        Assert.Equal(WebSocketState.Open, charger.Socket.State);
        Assert.Equal(0, (await Host.Admin.Get($"/v2/ocpp_messages?chargepoint={a.ChargePointId}&operationType=Reset")).Total);
    }

    private static string WithForeignFilters(string path, TenantWorld a) =>
        $"{path}?network={a.NetworkId}&chargepoint={a.ChargePointId}";

    private static async Task<string> CountsAsync(ApiClient api)
    {
        var counts = new List<string>();
        foreach (var path in new[] { "/v2/networks", "/v2/charge_points", "/v2/connectors", "/v2/vehicles", "/v2/id_tags", "/v2/users" })
            counts.Add($"{path}={(await api.Get(path)).Total}");
        return string.Join(" ", counts);
    }
}
