using Cms.IntegrationTests.Harness;

namespace Cms.IntegrationTests.ChargePoints;

public sealed class ChargePointTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TestHost Host => fixture.Host;
    private ApiClient Api => fixture.Host.Admin;

    [Fact]
    public async Task Create_with_every_spec_field_read_update_delete()
    {
        var network = await Api.Network();
        var cp = await Api.Create("/v2/charge_points/", new
        {
            maxCapacity = 22, name = "EVSE 1", networkId = network.Id(), allowAllIdTags = true, customName = "12",
            firmwareVersion = "V1.02.23rc2", latitude = 32.2431, location = "New York", longitude = 115.793,
            modelName = "EX-1193-1A11", ocppId = "CHARGER-123", ocppStatus = "Available",
            ocppStatusUpdate = "2020-10-11T08:19:00", onlineStatus = "ONLINE", onlineStatusUpdate = "2020-10-11T08:19:00",
            orientation = 30.2, position = new { x = 1, y = 2 }, protocol = "OCPP 1.6", securityProfile = 1, source = "CMS",
            vendor = "Vendor Name", powerSplit = true, paymentTerminalID = "00000001", password = "string",
        });
        Assert.Equal("12", (string?)cp["customName"]);
        Assert.Equal("2020-10-11T08:19:00.000000+00:00", (string?)cp["ocppStatusUpdate"]);
        Assert.Equal(1, (int)cp["position"]!["x"]!);
        Assert.Null(cp["password"]);
        Assert.Equal(0, (int)cp["numberOfConnectors"]!);

        var updated = await Api.Patch($"/v2/charge_points/{cp.Id()}", new { meterType = "Meter Type I", serialNumber = "00000001", maxCapacity = 11 });
        Assert.Equal(200, updated.Status);
        Assert.Equal("00000001", (string?)updated.First["serialNumber"]);
        Assert.Equal(11.0, (double)updated.First["maxCapacity"]!);

        await Api.Connector(cp.Id());
        Assert.Equal(200, (await Api.Delete($"/v2/charge_points/{cp.Id()}")).Status);
        Assert.Equal(404, (await Api.Get($"/v2/charge_points/{cp.Id()}")).Status);
        Assert.Equal(0, (await Api.Get($"/v2/connectors?chargepoint={cp.Id()}")).Total);
    }

    [Fact]
    public async Task Name_is_mirrored_into_customName()
    {
        var cp = await Api.ChargePoint((await Api.Network()).Id(), name: "Charger 7");
        Assert.Equal("Charger 7", (string?)cp["customName"]);
    }

    [Fact]
    public async Task References_and_uniqueness_are_checked()
    {
        var missing = await Api.Post("/v2/charge_points", new { name = "x", maxCapacity = 1, networkId = Guid.NewGuid() });
        Assert.Equal(400, missing.Status);
        Assert.Contains("does not exist", missing.FailFor("networkId"));

        var other = await SecondCustomer.CreateAsync(Host, "cp-" + Guid.NewGuid().ToString("N")[..6]);
        var foreignNetwork = await other.Network();
        var foreign = await Api.Post("/v2/charge_points", new { name = "x", maxCapacity = 1, networkId = foreignNetwork.Id() });
        Assert.Contains("does not exist", foreign.FailFor("networkId"));

        var network = await Api.Network();
        var ocppId = "OCPP-" + Guid.NewGuid().ToString("N")[..8];
        await Api.Create("/v2/charge_points", new { name = "a", maxCapacity = 1, networkId = network.Id(), ocppId });
        var duplicate = await Api.Post("/v2/charge_points", new { name = "b", maxCapacity = 1, networkId = network.Id(), ocppId });
        Assert.Equal(409, duplicate.Status);
        Assert.NotNull(duplicate.FailFor("ocppId"));

        Assert.Contains("at most 40", (await Api.Post("/v2/charge_points", new { name = new string('n', 41), maxCapacity = 1, networkId = network.Id() })).FailFor("name"));
        Assert.Contains("<= 360", (await Api.Post("/v2/charge_points", new { name = "o", maxCapacity = 1, networkId = network.Id(), orientation = 361 })).FailFor("orientation"));
        Assert.Contains("must be >= -180", (await Api.Post("/v2/charge_points", new { name = "o", maxCapacity = 1, networkId = network.Id(), longitude = -181 })).FailFor("longitude"));
    }

    [Fact]
    public async Task Filters_by_network_online_status_vendor_current_and_search()
    {
        var api = await SecondCustomer.CreateAsync(Host, "cpf-" + Guid.NewGuid().ToString("N")[..6]);
        var n1 = await api.Network(name: "n1");
        var n2 = await api.Network(name: "n2");
        var dc = await api.Create("/v2/charge_points", new { name = "dc", maxCapacity = 50, networkId = n1.Id(), vendor = "ABB", onlineStatus = "ONLINE", allowAllIdTags = true });
        var ac = await api.Create("/v2/charge_points", new { name = "ac", maxCapacity = 22, networkId = n1.Id(), vendor = "Wallbox", onlineStatus = "OFFLINE" });
        var mixed = await api.Create("/v2/charge_points", new { name = "mixed", maxCapacity = 22, networkId = n2.Id(), serialNumber = "SN-778" });
        await api.Connector(dc.Id(), currentType: "DC");
        await api.Connector(ac.Id(), currentType: "AC_phase3_LN", voltage: 230);
        await api.Connector(mixed.Id(), 1, currentType: "DC");
        await api.Connector(mixed.Id(), 2, currentType: "AC_phase1", voltage: 230);

        async Task<string[]> Names(string query) =>
            (await api.Get("/v2/charge_points?sort=name:asc&" + query)).Data.Select(d => (string)d["name"]!).ToArray();

        Assert.Equal(new string[] { "ac", "dc" }, await Names($"network={n1.Id()}"));
        Assert.Equal(new string[] { "dc" }, await Names("online_status=ONLINE"));
        Assert.Equal(new string[] { "ac" }, await Names("vendor=Wallbox"));
        Assert.Equal(new string[] { "dc" }, await Names("current=DC"));
        Assert.Equal(new string[] { "mixed" }, await Names("current=Mix"));
        Assert.Equal(new string[] { "ac" }, await Names("current=AC"));
        Assert.Equal(new string[] { "dc" }, await Names("allow_all_id_tags=true"));
        Assert.Equal(new string[] { "mixed" }, await Names("search=sn-77"));
        Assert.Equal(new string[] { "ac", "dc", "mixed" }, await Names("is_active=false"));
        Assert.Equal(["mixed", "dc", "ac"], (await api.Get("/v2/charge_points?sort=numberOfConnectors:desc,name:desc")).Data.Select(d => (string)d["name"]!));
        Assert.Equal(2, (int)(await api.Get($"/v2/charge_points/{mixed.Id()}")).First["numberOfConnectors"]!);
        Assert.NotNull((await api.Get("/v2/charge_points?is_active=maybe")).FailFor("is_active"));
    }

    [Fact]
    public async Task Cross_customer_and_read_only_are_refused()
    {
        var cp = await Api.ChargePoint((await Api.Network()).Id());
        var other = await SecondCustomer.CreateAsync(Host, "cpx-" + Guid.NewGuid().ToString("N")[..6]);
        Assert.Equal(404, (await other.Get($"/v2/charge_points/{cp.Id()}")).Status);
        Assert.Equal(404, (await other.Delete($"/v2/charge_points/{cp.Id()}")).Status);
        using var reader = await Host.UserOfType("read_only");
        Assert.Equal(403, (await reader.Patch($"/v2/charge_points/{cp.Id()}", new { name = "z" })).Status);
        Assert.Equal(200, (await reader.Get($"/v2/charge_points/{cp.Id()}")).Status);
    }
}
