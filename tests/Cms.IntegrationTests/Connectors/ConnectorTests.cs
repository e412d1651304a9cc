using Cms.IntegrationTests.Harness;

namespace Cms.IntegrationTests.Connectors;

public sealed class ConnectorTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TestHost Host => fixture.Host;
    private ApiClient Api => fixture.Host.Admin;

    [Fact]
    public async Task Create_with_every_spec_field_read_update_delete()
    {
        var cp = await Api.ChargePoint((await Api.Network()).Id());
        var c = await Api.Create("/v2/connectors/", new
        {
            chargePointId = cp.Id(), connectorId = 1, currentType = "DC", name = "EVSE 1 Con 1", voltage = 230,
            plugType = "CHAdeMO", plugPowerLevel = "Level 1", ocppStatus = "Available", ocppStatusUpdate = "2020-10-11T08:19:00",
            ocpiStatus = "AVAILABLE", priority = 5, maxAmperage = 5, maxCapacity = 22, powerFactor = 0.93,
        });
        Assert.Equal(5, (int)c["priority"]!);
        Assert.Equal(0.93, (double)c["powerFactor"]!);
        Assert.Equal(cp.Id(), (string?)c["chargePointId"]);

        var defaults = await Api.Connector(cp.Id(), connectorId: 2);
        Assert.Equal(3, (int)defaults["priority"]!);
        Assert.Equal(1.0, (double)defaults["powerFactor"]!);

        var updated = await Api.Patch($"/v2/connectors/{c.Id()}", new { priority = 0, maxCapacity = 11 });
        Assert.Equal(0, (int)updated.First["priority"]!);
        Assert.Equal(200, (await Api.Delete($"/v2/connectors/{c.Id()}")).Status);
        Assert.Equal(404, (await Api.Get($"/v2/connectors/{c.Id()}")).Status);
    }

    [Theory]
    [InlineData("voltage", 119, "must be >= 120")]
    [InlineData("connectorId", 0, "must be >= 1")]
    [InlineData("connectorId", 1.5, "must be an integer")]
    [InlineData("priority", 6, "must be <= 5")]
    [InlineData("currentType", "AC", "must be one of")]
    [InlineData("plugType", "Schuko", "must be one of")]
    public async Task Invalid_values_name_the_field(string field, object value, string reason)
    {
        var cp = await Api.ChargePoint((await Api.Network()).Id());
        var body = new Dictionary<string, object>
        {
            ["chargePointId"] = cp.Id(), ["connectorId"] = 1, ["currentType"] = "DC", ["voltage"] = 230, ["maxCapacity"] = 22,
        };
        body[field] = value;
        var response = await Api.Post("/v2/connectors", body);
        Assert.Equal(400, response.Status);
        Assert.Contains(reason, response.FailFor(field));
        Assert.Equal(0, (await Api.Get($"/v2/connectors?chargepoint={cp.Id()}")).Total);
    }

    [Fact]
    public async Task Connector_ids_are_unique_per_charge_point_and_the_charge_point_must_exist()
    {
        var cp = await Api.ChargePoint((await Api.Network()).Id());
        await Api.Connector(cp.Id(), 1);
        var duplicate = await Api.Post("/v2/connectors", new { chargePointId = cp.Id(), connectorId = 1, currentType = "DC", voltage = 400, maxCapacity = 50 });
        Assert.Equal(409, duplicate.Status);
        Assert.NotNull(duplicate.FailFor("connectorId"));
        var orphan = await Api.Post("/v2/connectors", new { chargePointId = Guid.NewGuid(), connectorId = 1, currentType = "DC", voltage = 400, maxCapacity = 50 });
        Assert.Contains("does not exist", orphan.FailFor("chargePointId"));
    }

    [Fact]
    public async Task Filters_paging_and_sort()
    {
        var api = await SecondCustomer.CreateAsync(Host, "con-" + Guid.NewGuid().ToString("N")[..6]);
        var n = await api.Network();
        var cpA = await api.ChargePoint(n.Id(), name: "Alpha-cp");
        var cpB = await api.ChargePoint(n.Id(), name: "Bravo-cp");
        await api.Create("/v2/connectors", new { chargePointId = cpA.Id(), connectorId = 1, currentType = "DC", voltage = 400, maxCapacity = 50, plugType = "CCS2", priority = 1, ocppStatus = "Charging" });
        await api.Create("/v2/connectors", new { chargePointId = cpA.Id(), connectorId = 2, currentType = "AC_phase1", voltage = 230, maxCapacity = 7.4, plugType = "Type 2", priority = 5, ocppStatus = "Available" });
        await api.Create("/v2/connectors", new { chargePointId = cpB.Id(), connectorId = 1, currentType = "AC_phase3_LN", voltage = 230, maxCapacity = 22, plugType = "Type 2", priority = 3, ocppStatus = "Faulted" });

        async Task<double[]> Caps(string query) =>
            (await api.Get("/v2/connectors?sort=maxCapacity:asc&" + query)).Data.Select(d => (double)d["maxCapacity"]!).ToArray();

        Assert.Equal(new double[] { 7.4, 22, 50 }, await Caps($"network={n.Id()}"));
        Assert.Equal(new double[] { 7.4, 50 }, await Caps($"chargepoint={cpA.Id()}"));
        Assert.Equal(new double[] { 7.4, 22, 50 }, await Caps($"chargepoint={cpA.Id()}&chargepoint={cpB.Id()}"));
        Assert.Equal(new double[] { 22, 50 }, await Caps("connectorId=1"));
        Assert.Equal(new double[] { 7.4, 50 }, await Caps("ocppStatus=Charging&ocppStatus=Available"));
        Assert.Equal(new double[] { 7.4, 22 }, await Caps("priority=5&priority=3"));
        Assert.Equal(new double[] { 50 }, await Caps("currentType=DC"));
        Assert.Equal(new double[] { 7.4, 22 }, await Caps("currentType=AC"));
        Assert.Equal(new double[] { 7.4, 22 }, await Caps("plugType=Type 2"));
        Assert.Equal(new double[] { 22 }, await Caps("search=bravo"));
        var page = await api.Get("/v2/connectors?limit=1&offset=2&sort=maxCapacity:desc");
        Assert.Equal(3, page.Total);
        Assert.Equal(7.4, (double)page.First["maxCapacity"]!);
        Assert.Equal(new[] { "Bravo-cp", "Alpha-cp", "Alpha-cp" }, (await api.Get("/v2/connectors?sort=chargerName:desc")).Data.Select(d => (string)d["chargerName"]!));
        Assert.NotNull((await api.Get("/v2/connectors?connectorId=one")).FailFor("connectorId"));
    }

    [Fact]
    public async Task Cross_customer_and_read_only_are_refused()
    {
        var c = await Api.Connector((await Api.ChargePoint((await Api.Network()).Id())).Id());
        var other = await SecondCustomer.CreateAsync(Host, "conx-" + Guid.NewGuid().ToString("N")[..6]);
        Assert.Equal(404, (await other.Get($"/v2/connectors/{c.Id()}")).Status);
        Assert.Equal(404, (await other.Patch($"/v2/connectors/{c.Id()}", new { priority = 1 })).Status);
        using var reader = await Host.UserOfType("read_only");
        Assert.Equal(403, (await reader.Delete($"/v2/connectors/{c.Id()}")).Status);
    }
}
