using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;
using Newtonsoft.Json.Linq;
using static Cms.IntegrationTests.Harness.InputChecks;

namespace Cms.IntegrationTests.Robustness;

/// <summary>
/// One customer's rows in every resource, made through the API as a user would, so checks over every endpoint have a
/// real id to aim at. Routes added later find their rows through <see cref="IdsForAsync"/> (the first item of the
/// route's collection), so they are covered as soon as their collection lists something.
/// </summary>
public sealed class TenantWorld
{
    private readonly ApiClient _api;
    private readonly Dictionary<string, JObject?> _firstItems = new();

    private TenantWorld(ApiClient api, Site site, string ocppId, JObject session)
    {
        _api = api;
        Site = site;
        OcppId = ocppId;
        Session = session;
    }

    public Site Site { get; }
    public string NetworkId => Site.NetworkId;
    public string ChargePointId => Site.ChargePointId;
    public string OcppId { get; }
    public JObject Session { get; }

    /// <summary>A body each collection accepted on POST, by path: seeds for fuzzing.</summary>
    public Dictionary<string, JObject> Bodies { get; } = new();

    public static async Task<TenantWorld> CreateAsync(ApiClient api, string name)
    {
        var posted = new List<(string Path, JObject Body)>();
        var site = await Site.CreateAsync(api, name);
        var ocppId = OcppKit.NewOcppId(name);
        Assert.Equal(200, (await api.Patch($"/v2/charge_points/{site.ChargePointId}", new { ocppId })).Status);
        var session = await site.StartAsync(api);
        var bodies = new Dictionary<string, JObject>
        {
            ["/v2/networks"] = JObject.FromObject(new { name, maxCapacity = 100 }),
            ["/v2/charge_points"] = JObject.FromObject(new { name, maxCapacity = 50, networkId = site.NetworkId }),
            ["/v2/connectors"] = JObject.FromObject(new { chargePointId = site.ChargePointId, connectorId = 3, maxCapacity = 22, currentType = "AC_phase3_LN", voltage = 230 }),
            ["/v2/charging_sessions"] = JObject.FromObject(new { chargePointId = site.ChargePointId, connectorId = site.Connector2 }),
            ["/v2/configurations/ocpp_settings"] = JObject.FromObject(new { secret = "customer-secret-" + name, feature = "cms" }),
            ["/v2/ocpp_messages"] = JObject.Parse($$"""{"chargePointId":"{{site.ChargePointId}}","body":[2,"m1","Heartbeat",{}]}"""),
            ["/v2/users/login"] = JObject.FromObject(new { name = "admin", password = "wrong" }),
        };
        var vehicle = await Record(api, posted, "/v2/vehicles", new { name = name + " bus", stateOfCharge = 20 });
        await Record(api, posted, "/v2/id_tags", new { value = "TAG-" + Guid.NewGuid().ToString("N")[..8], group = "RFID", vehicleId = vehicle.Id() });
        await Record(api, posted, "/v2/capacities", new { networkId = site.NetworkId, maxCapacityIntervals = new[] { new { maxCapacity = 150, start = At(0), end = At(60) } } });
        await Record(api, posted, "/v2/prices", new { networkId = site.NetworkId, energyPrices = new[] { new { start = At(0), end = At(60), price = 0.3 } } });
        await Record(api, posted, "/v2/prices/constraints", new { networkId = site.NetworkId, energyPrice = 0.2, maxCapacityRatio = 0.8 });
        await Record(api, posted, "/v2/dr_events", new { networkId = site.NetworkId, drEvents = new[] { new { start = At(0), end = At(60), value = 5, type = "V2G" } } });
        await Record(api, posted, "/v2/baseloads", new { networkId = site.NetworkId, baseloadMeterValues = new[] { new { timestamp = At(0), value = 12.5 } } });
        await Record(api, posted, "/v2/solar_meterings", new { networkId = site.NetworkId, solarMeterValues = new[] { new { timestamp = At(0), value = 3 } } });
        await Record(api, posted, "/v2/meter_values", JObject.Parse($$"""
            {"chargePointId":"{{site.ChargePointId}}","connectorId":1,"meterValues":[{"timestamp":"2031-05-01T00:00:00+00:00",
             "sampledValue":[{"measurand":"Energy.Active.Import.Register","unit":"Wh","value":1000}]}]}
            """));
        await Record(api, posted, "/v2/users", new { name = name + "-u-" + Guid.NewGuid().ToString("N")[..6], password = "s3cret-pass", firstName = "T", lastName = "U", type = "user" });
        Assert.Equal(201, (await api.Post($"/v2/configurations?network={site.NetworkId}", new { deliveryOptions = new { TxProfile = "ampcontrol-default-TxProfile" } })).Status);
        Assert.Equal(201, (await api.Post($"/v2/configurations/ocpp_settings/charge_points/{site.ChargePointId}", new { secret = "cp-secret-" + name })).Status);
        var world = new TenantWorld(api, site, ocppId, session);
        foreach (var (path, body) in bodies) world.Bodies[path] = body;
        foreach (var (path, body) in posted) world.Bodies[path] = body;
        return world;
    }

    private static async Task<JObject> Record(ApiClient api, List<(string, JObject)> posted, string path, object body)
    {
        var json = body as JObject ?? JObject.FromObject(body);
        posted.Add((path, json));
        return await api.Create(path, json);
    }

    /// <summary>Values for a route's parameters from this customer's rows, or null when its collection lists nothing.</summary>
    public async Task<Dictionary<string, string>?> IdsForAsync(MappedEndpoint endpoint)
    {
        if (!endpoint.HasParameters) return [];
        var item = await FirstItemAsync(CollectionOf(endpoint));
        if (item is null) return null;
        var values = new Dictionary<string, string>();
        foreach (var name in endpoint.Parameters)
        {
            var value = name switch
            {
                "id" => (string?)item["id"],
                "ocppId" => OcppId,
                "transactionId" => (string?)Session["transactionId"] ?? "1",
                _ => (string?)item[name] ?? (string?)item["id"],
            };
            if (value is null) return null;
            values[name] = value;
        }
        return values;
    }

    /// <summary>Where a route's ids come from: its collection, except for the few routes keyed by another resource.</summary>
    private string CollectionOf(MappedEndpoint endpoint) => endpoint.Collection switch
    {
        "/v2/configurations/ocpp_settings/charge_points" or "/v2/ocpp_messages" => "/v2/charge_points",
        "/v2/charging_sessions" when endpoint.Parameters.Contains("transactionId") => "/v2/charging_sessions",
        var other => other,
    };

    private async Task<JObject?> FirstItemAsync(string collection)
    {
        if (_firstItems.TryGetValue(collection, out var known)) return known;
        JObject? item = null;
        if (collection == "/v2/charging_sessions") item = Session;
        else
        {
            var list = await _api.Get(collection);
            if (list.Status == 400) list = await _api.Get($"{collection}?network={NetworkId}");
            if (list.Status == 200 && list.Total == 0) // inputs are listed by time window: the world's lie in 2031
                list = await _api.Get($"{collection}?network={NetworkId}&start=2000-01-01T00:00:00Z&end=2100-01-01T00:00:00Z");
            if (list.Status == 200 && list.Body["data"] is JArray { Count: > 0 } data) item = (JObject)data[0];
        }
        return _firstItems[collection] = item;
    }
}
