using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Harness;

/// <summary>A network with one charge point and two connectors (numbers 1 and 2), made through the API.</summary>
public sealed record Site(string NetworkId, string ChargePointId, string Connector1, string Connector2)
{
    public static async Task<Site> CreateAsync(ApiClient api, string name = "site")
    {
        var network = await api.Create("/v2/networks", new { name, maxCapacity = 100 });
        var chargePoint = await api.Create("/v2/charge_points", new { name = name + " charger", maxCapacity = 50, networkId = (string)network["id"]! });
        var cp = (string)chargePoint["id"]!;
        var c1 = await api.Create("/v2/connectors", new { chargePointId = cp, connectorId = 1, maxCapacity = 22, currentType = "AC_phase3_LN", voltage = 230, name = name + " left" });
        var c2 = await api.Create("/v2/connectors", new { chargePointId = cp, connectorId = 2, maxCapacity = 22, currentType = "AC_phase3_LN", voltage = 230, name = name + " right" });
        return new Site((string)network["id"]!, cp, (string)c1["id"]!, (string)c2["id"]!);
    }

    public Task<JObject> StartAsync(ApiClient api, object? connector = null, object? extra = null)
    {
        var body = JObject.FromObject(new { chargePointId = ChargePointId, connectorId = connector ?? Connector1 });
        if (extra is not null) body.Merge(JObject.FromObject(extra));
        return api.Create("/v2/charging_sessions", body);
    }
}
