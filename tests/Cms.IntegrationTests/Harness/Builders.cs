using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Harness;

/// <summary>Creates the usual network → charge point → connector chain with sensible defaults.</summary>
public static class Builders
{
    public static Task<JObject> Network(this ApiClient api, double maxCapacity = 30, string name = "site") =>
        api.Create("/v2/networks/", new { name, maxCapacity });

    public static Task<JObject> ChargePoint(this ApiClient api, string networkId, double maxCapacity = 22, string name = "cp") =>
        api.Create("/v2/charge_points/", new { name, maxCapacity, networkId });

    public static Task<JObject> Connector(this ApiClient api, string chargePointId, int connectorId = 1,
        double maxCapacity = 22, string currentType = "DC", double voltage = 400) =>
        api.Create("/v2/connectors/", new { chargePointId, connectorId, maxCapacity, currentType, voltage });

    public static string Id(this JObject item) => (string)item["id"]!;

    /// <summary>A user of the given type in the admin's customer, logged in: its own client.</summary>
    public static async Task<ApiClient> UserOfType(this TestHost host, string type)
    {
        var name = $"{type}-{Guid.NewGuid():N}";
        await host.Admin.Create("/v2/users/", new { name, password = "s3cret-pass", firstName = "T", lastName = "U", type });
        var login = await host.Admin.Post("/v2/users/login", new { name, password = "s3cret-pass" });
        Assert.Equal(200, login.Status);
        return host.Client((string)login.First["token"]!);
    }
}
