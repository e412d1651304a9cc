using Cms.IntegrationTests.Harness;

namespace Cms.IntegrationTests.Ocpp;

public sealed class OcppSettingsTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task Customer_settings_default_to_cms_store_the_secret_hashed_and_never_show_it()
    {
        var api = await SecondCustomer.CreateAsync(Host, "os-" + Guid.NewGuid().ToString("N")[..6]);
        var initial = (await api.Get("/v2/configurations/ocpp_settings")).First;
        Assert.Equal("cms", (string?)initial["feature"]);
        Assert.Equal("unregistered", (string?)initial["secret"]);

        var network = await api.Network();
        var saved = await api.Post("/v2/configurations/ocpp_settings", new
        {
            secret = "dummy-s3cr3t", feature = "cms", targetCmsUrl = "wss://dummy.cms-url.com/", defaultNetworkId = network.Id(),
        });
        Assert.Equal(201, saved.Status);
        Assert.Equal("********", (string?)saved.First["secret"]);
        Assert.Equal(network.Id(), (string?)saved.First["defaultNetworkId"]);
        Assert.Equal("wss://dummy.cms-url.com/", (string?)saved.First["targetCmsUrl"]);

        var patched = await api.Patch("/v2/configurations/ocpp_settings/", new { feature = "off" });
        Assert.Equal("off", (string?)patched.First["feature"]);
        Assert.Equal(network.Id(), (string?)patched.First["defaultNetworkId"]);
        Assert.DoesNotContain("dummy-s3cr3t", (await api.Get("/v2/configurations/ocpp_settings")).Body.ToString());
    }

    [Fact]
    public async Task Bad_settings_name_the_field_and_change_nothing()
    {
        var api = await SecondCustomer.CreateAsync(Host, "osb-" + Guid.NewGuid().ToString("N")[..6]);
        Assert.Equal("is required", (await api.Post("/v2/configurations/ocpp_settings", new { feature = "cms" })).FailFor("secret"));
        Assert.Contains("must be one of", (await api.Patch("/v2/configurations/ocpp_settings", new { feature = "maybe" })).FailFor("feature"));
        Assert.Contains("ws://", (await api.Patch("/v2/configurations/ocpp_settings", new { targetCmsUrl = "http://x" })).FailFor("targetCmsUrl"));
        Assert.Contains("does not exist", (await api.Patch("/v2/configurations/ocpp_settings", new { defaultNetworkId = Guid.NewGuid() })).FailFor("defaultNetworkId"));
        Assert.Equal("cms", (string?)(await api.Get("/v2/configurations/ocpp_settings")).First["feature"]);
    }

    [Fact]
    public async Task Charge_point_settings_belong_to_the_callers_charge_points()
    {
        var cp = await Host.Admin.ChargePoint((await Host.Admin.Network()).Id());
        var saved = await Host.Admin.Post($"/v2/configurations/ocpp_settings/charge_points/{cp.Id()}", new { secret = "cp-secret-123456", feature = "cms" });
        Assert.Equal(201, saved.Status);
        Assert.Equal("********", (string?)saved.First["secret"]);
        Assert.Equal("cms", (string?)saved.First["feature"]);
        Assert.Equal("off", (string?)(await Host.Admin.Patch($"/v2/configurations/ocpp_settings/charge_points/{cp.Id()}", new { feature = "off" })).First["feature"]);

        var other = await SecondCustomer.CreateAsync(Host, "osc-" + Guid.NewGuid().ToString("N")[..6]);
        Assert.Equal(404, (await other.Get($"/v2/configurations/ocpp_settings/charge_points/{cp.Id()}")).Status);
        Assert.Equal(404, (await other.Patch($"/v2/configurations/ocpp_settings/charge_points/{cp.Id()}", new { feature = "cms" })).Status);
        using var reader = await Host.UserOfType("read_only");
        Assert.Equal(403, (await reader.Patch("/v2/configurations/ocpp_settings", new { feature = "off" })).Status);
        using var user = await Host.UserOfType("user");
        Assert.Equal(403, (await user.Patch("/v2/configurations/ocpp_settings", new { feature = "off" })).Status);
    }
}
