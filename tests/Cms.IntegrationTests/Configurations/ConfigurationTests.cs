using Cms.Core.Domain.Configurations;
using Cms.IntegrationTests.Harness;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Configurations;

public sealed class ConfigurationTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private const string Path = "/v2/configurations/";
    private static readonly string[] Meta = ["id", "created", "updated", "customer", "network", "chargepoint", "user"];

    private TestHost Host => fixture.Host;
    private ApiClient Api => fixture.Host.Admin;

    [Fact]
    public async Task A_new_customer_sees_the_specs_default_configuration()
    {
        await using var host = await TestHost.StartAsync(null, "--Ocpp:DefaultFeature=off");
        var customer = await CustomerId(host.Admin);
        var response = await host.Admin.Get($"{Path}?customer={customer}");
        Assert.Equal(200, response.Status);
        Assert.Equal(1, response.Total);
        var config = response.First;
        Assert.Equal(JTokenType.Null, config["id"]!.Type);
        Assert.Equal(customer, (string?)config["customer"]);
        var expected = SpecDefaults.CustomerJson;
        Assert.Equal(expected.ToString(), WithoutMeta(config).ToString()); // same values and the spec's order
    }

    [Fact]
    public async Task Customer_level_shows_the_ocpp_settings_as_ampCmsOptions_without_the_secret()
    {
        using var other = await SecondCustomer.CreateAsync(Host, "amp-" + Guid.NewGuid().ToString("N")[..8]);
        var customer = await CustomerId(other);
        var settings = await other.Post("/v2/configurations/ocpp_settings", new { secret = "dummy-s3cr3t", feature = "proxy", targetCmsUrl = "wss://dummy.cms-url.com/" });
        Assert.Equal(201, settings.Status);
        var response = await other.Get($"{Path}?customer={customer}");
        Assert.Equal(200, response.Status);
        Assert.Equal("""{"feature":"proxy","secret":"********","targetCmsUrl":"wss://dummy.cms-url.com/","defaultNetworkId":null}""",
            response.First["ampCmsOptions"]!.ToString(Newtonsoft.Json.Formatting.None));
        Assert.DoesNotContain("dummy-s3cr3t", response.Body.ToString());
        Assert.Equal(200, (await other.Get("/v2/configurations/ocpp_settings")).Status);

        // A GET round trip may send ampCmsOptions back unchanged; changing them here is refused.
        var same = await other.Patch($"{Path}?customer={customer}", new JObject { ["ampCmsOptions"] = response.First["ampCmsOptions"] });
        Assert.Equal(200, same.Status);
        var changed = await other.Patch($"{Path}?customer={customer}", new { ampCmsOptions = new { feature = "off" } });
        Assert.Equal(400, changed.Status);
        Assert.Contains("ocpp_settings", changed.FailFor("ampCmsOptions"));
    }

    [Fact]
    public async Task Customer_presets_are_added_selected_merged_and_protected()
    {
        using var other = await SecondCustomer.CreateAsync(Host, "pre-" + Guid.NewGuid().ToString("N")[..8]);
        var customer = await CustomerId(other);
        var created = await other.Post($"{Path}?customer={customer}", JObject.Parse("""
            {"deliveryOptions": {"presets": {"TxProfile": {"my-amps": {"settings": {"chargingRateUnit": "A", "stackLevel": 4}}}},
                                 "TxProfile": "my-amps"},
             "integrations": {"shelly": {"device_id": "D1"}}}
            """));
        Assert.Equal(201, created.Status);
        var config = created.First;
        Assert.NotNull((string?)config["id"]);
        var presets = (JObject)config["deliveryOptions"]!["presets"]!["TxProfile"]!;
        Assert.Equal(6, presets.Count);
        Assert.Equal("my-amps", (string?)config["deliveryOptions"]!["TxProfile"]);
        Assert.True((bool)presets["my-amps"]!["isDefault"]!);
        Assert.False((bool)presets["ampcontrol-default-TxProfile"]!["isDefault"]!);
        var settings = (JObject)presets["my-amps"]!["settings"]!;
        Assert.Equal(("A", 4, "utc", "All", "TxProfile"), ((string?)settings["chargingRateUnit"], (int)settings["stackLevel"]!,
            (string?)settings["timeZone"], (string?)settings["limitDeliveryType"], (string?)settings["chargingProfilePurpose"]));
        Assert.Equal("ampcontrol-default-TxDefaultProfile", (string?)config["deliveryOptions"]!["TxDefaultProfile"]);
        Assert.Equal(config.ToString(), (await other.Get($"{Path}?customer={customer}")).First.ToString());

        Assert.Equal(409, (await other.Post($"{Path}?customer={customer}", new { integrations = new { } })).Status);

        // PATCH deep-merges: one setting of one preset, one more integration; the rest stays.
        var patched = await other.Patch($"{Path}?customer={customer}", JObject.Parse("""
            {"deliveryOptions": {"presets": {"TxProfile": {"my-amps": {"settings": {"stackLevel": 6}}}}},
             "integrations": {"longship": {"base_url": "https://x"}}}
            """));
        Assert.Equal(200, patched.Status);
        var after = patched.First;
        Assert.Equal(6, (int)after["deliveryOptions"]!["presets"]!["TxProfile"]!["my-amps"]!["settings"]!["stackLevel"]!);
        Assert.Equal("A", (string?)after["deliveryOptions"]!["presets"]!["TxProfile"]!["my-amps"]!["settings"]!["chargingRateUnit"]);
        Assert.Equal("D1", (string?)after["integrations"]!["shelly"]!["device_id"]);
        Assert.Equal("https://x", (string?)after["integrations"]!["longship"]!["base_url"]);
        Assert.Equal((string?)config["created"], (string?)after["created"]);
        Assert.Equal(config.Id(), after.Id());

        // isDefault: true selects a preset, as naming it in deliveryOptions.TxProfile does.
        var selected = await other.Patch($"{Path}?customer={customer}",
            JObject.Parse("""{"deliveryOptions": {"presets": {"TxProfile": {"ampcontrol-squential-TxProfile": {"isDefault": true}}}}}"""));
        Assert.Equal(200, selected.Status);
        Assert.Equal("ampcontrol-squential-TxProfile", (string?)selected.First["deliveryOptions"]!["TxProfile"]);

        // The full GET body may be sent back (built-ins unchanged).
        var roundTrip = WithoutMeta(selected.First);
        var roundTripped = await other.Patch($"{Path}?customer={customer}", roundTrip);
        Assert.True(roundTripped.Status == 200, roundTripped.ToString());
        Assert.Equal(selected.First["deliveryOptions"]!.ToString(), roundTripped.First["deliveryOptions"]!.ToString());

        // A preset a network selects cannot be removed, nor the customer configuration holding it deleted.
        var network = await other.Network();
        Assert.Equal(201, (await other.Post($"{Path}?network={network.Id()}", new { deliveryOptions = new { TxProfile = "my-amps" } })).Status);
        var removal = await other.Patch($"{Path}?customer={customer}", JObject.Parse("""{"deliveryOptions": {"presets": {"TxProfile": {"my-amps": null}}}}"""));
        Assert.Equal(409, removal.Status);
        Assert.Contains(network.Id(), removal.FailFor("deliveryOptions.presets.TxProfile.my-amps"));
        Assert.Equal(409, (await other.Delete($"{Path}?configuration_uuid={config.Id()}")).Status);

        // The preset in force for a charge point of that network is the customer's own preset.
        var chargePoint = await other.ChargePoint(network.Id());
        var inForce = await Host.Services.GetRequiredService<DeliveryPresetResolver>().ResolveAsync(customer, network.Id(), chargePoint.Id());
        Assert.Equal(new DeliverySettings("my-amps", "TxProfile", 6, false, "A", "All", true, true, "Absolute"), inForce);
    }

    [Fact]
    public async Task Network_level_defaults_spec_example_merge_and_delete()
    {
        var network = await Api.Network();
        var url = $"{Path}?network={network.Id()}";
        var initial = await Api.Get(url);
        Assert.Equal(200, initial.Status);
        Assert.Equal(JTokenType.Null, initial.First["id"]!.Type);
        Assert.Equal(JObject.Parse("""
            {"alerts": true, "idTagPriority": false, "integrations": {}, "deliveryOptions": {"TxProfile": "", "TxDefaultProfile": ""},
             "chargingRules": null, "alertOptions": {}}
            """).ToString(), WithoutMeta(initial.First).ToString());

        var example = JObject.Parse("""
            {
              "alerts": true,
              "idTagPriority": false,
              "integrations": {
                  "shelly": {"base_url": "https://www.dummy-url.com", "device_id": "DEVICE_ABC", "auth_key": "my-auth-key"},
                  "longship": {"base_url": "https://www.dummy-url.com",
                               "tenant_key": {"key": "Ocp-Apim-Subscription-Key", "value": "dummyTenantKey"},
                               "api_key": {"key": "x-api-key", "value": "dummyAPIKey"}}
              },
              "deliveryOptions": {"TxProfile": "ampcontrol-default-TxProfile", "TxDefaultProfile": "ampcontrol-default-TxDefaultProfile"},
              "chargingRules": null,
              "alertOptions": {
                  "callError": {"enabled": true, "urgency": "High", "category": ["List", "of", "categories"],
                                "notifications": {"enabled": false}, "description": "This is a description of the alert.",
                                "action": "Suggested action to take"}
              }
            }
            """);
        var created = await Api.Post(url, example);
        Assert.Equal(201, created.Status);
        Assert.Equal(network.Id(), (string?)created.First["network"]);
        Assert.Equal(example.ToString(), WithoutMeta(created.First).ToString());

        var patched = await Api.Patch(url, JObject.Parse("""
            {"alerts": false, "integrations": {"shelly": {"device_id": "D2"}}, "deliveryOptions": {"TxDefaultProfile": ""}}
            """));
        Assert.Equal(200, patched.Status);
        var after = patched.First;
        Assert.False((bool)after["alerts"]!);
        Assert.Equal("D2", (string?)after["integrations"]!["shelly"]!["device_id"]);
        Assert.Equal("my-auth-key", (string?)after["integrations"]!["shelly"]!["auth_key"]);
        Assert.Equal("dummyAPIKey", (string?)after["integrations"]!["longship"]!["api_key"]!["value"]);
        Assert.Equal("ampcontrol-default-TxProfile", (string?)after["deliveryOptions"]!["TxProfile"]);
        Assert.Equal("", (string?)after["deliveryOptions"]!["TxDefaultProfile"]);
        Assert.Equal("High", (string?)after["alertOptions"]!["callError"]!["urgency"]);

        var deleted = await Api.Delete($"{Path}?configuration_uuid={created.First.Id()}");
        Assert.Equal(200, deleted.Status);
        Assert.Equal(after.ToString(), deleted.First.ToString());
        Assert.Equal(initial.First.ToString(), (await Api.Get(url)).First.ToString());
        Assert.Equal(404, (await Api.Delete($"{Path}?configuration_uuid={created.First.Id()}")).Status);
    }

    [Fact]
    public async Task Charge_point_level_selects_presets_of_the_right_purpose()
    {
        var network = await Api.Network();
        var chargePoint = await Api.ChargePoint(network.Id());
        var url = $"{Path}?chargepoint={chargePoint.Id()}";
        Assert.Equal("""{"deliveryOptions":{"TxProfile":"","TxDefaultProfile":""}}""",
            WithoutMeta((await Api.Get(url)).First).ToString(Newtonsoft.Json.Formatting.None));

        var wrongPurpose = await Api.Post(url, new { deliveryOptions = new { TxDefaultProfile = "ampcontrol-default-TxProfile" } });
        Assert.Equal(400, wrongPurpose.Status);
        Assert.Contains("does not exist", wrongPurpose.FailFor("deliveryOptions.TxDefaultProfile"));

        var created = await Api.Post(url, new { deliveryOptions = new { TxDefaultProfile = "ampcontrol-sequential-ampere-TxDefaultProfile" } });
        Assert.Equal(201, created.Status);
        Assert.Equal(chargePoint.Id(), (string?)created.First["chargepoint"]);
        Assert.Equal("ampcontrol-sequential-ampere-TxDefaultProfile", (string?)created.First["deliveryOptions"]!["TxDefaultProfile"]);
        Assert.Equal("", (string?)created.First["deliveryOptions"]!["TxProfile"]);

        var inForce = await Host.Services.GetRequiredService<DeliveryPresetResolver>()
            .ResolveAsync(await CustomerId(Api), network.Id(), chargePoint.Id(), "TxDefaultProfile");
        Assert.Equal(("ampcontrol-sequential-ampere-TxDefaultProfile", "A", 1), (inForce.Name, inForce.ChargingRateUnit, inForce.StackLevel));
    }

    [Fact]
    public async Task User_level_notification_channels()
    {
        var me = (await Api.Get("/v2/users/me")).First.Id();
        using var someone = await Host.UserOfType("user");
        var them = (await someone.Get("/v2/users/me")).First.Id();
        var url = $"{Path}?user={them}";
        Assert.Equal("""{"notificationChannels":{"smsNotifications":false,"emailNotifications":false}}""",
            WithoutMeta((await Api.Get(url)).First).ToString(Newtonsoft.Json.Formatting.None));

        // PATCH on a level with nothing stored creates its configuration from the defaults.
        var patched = await Api.Patch(url, new { notificationChannels = new { smsNotifications = true } });
        Assert.Equal(200, patched.Status);
        Assert.NotNull((string?)patched.First["id"]);
        Assert.True((bool)patched.First["notificationChannels"]!["smsNotifications"]!);
        Assert.False((bool)patched.First["notificationChannels"]!["emailNotifications"]!);
        Assert.Equal(409, (await Api.Post(url, new { notificationChannels = new { emailNotifications = true } })).Status);

        // Non-admin users read but do not write configurations, not even their own.
        Assert.Equal(200, (await someone.Get(url)).Status);
        Assert.Equal(403, (await someone.Patch(url, new { notificationChannels = new { emailNotifications = true } })).Status);
        Assert.Equal(200, (await Api.Get($"{Path}?user={me}")).Status);
    }

    [Theory]
    [InlineData("network", """{"deliveryOptions": {"TxProfile": "nope"}}""", "deliveryOptions.TxProfile", "does not exist")]
    [InlineData("network", """{"alerts": "yes"}""", "alerts", "must be a boolean")]
    [InlineData("network", """{"colour": "red"}""", "colour", "unknown field")]
    [InlineData("network", """{"id": "x"}""", "id", "set by the server")]
    [InlineData("network", """{"alertOptions": {"callError": true}}""", "alertOptions.callError", "must be an object")]
    [InlineData("network", """{"deliveryOptions": {"TxProfile": 3}}""", "deliveryOptions.TxProfile", "preset name")]
    [InlineData("chargepoint", """{"alerts": true}""", "alerts", "unknown field")]
    [InlineData("user", """{"notificationChannels": {"smsNotifications": "y"}}""", "notificationChannels.smsNotifications", "must be a boolean")]
    [InlineData("user", """{"notificationChannels": {"pigeon": true}}""", "notificationChannels.pigeon", "unknown field")]
    [InlineData("customer", """{"deliveryOptions": {"TxProfile": "nope"}}""", "deliveryOptions.TxProfile", "does not exist")]
    [InlineData("customer", """{"deliveryOptions": {"presets": {"TxProfile": {"x": {"settings": {"stackLevel": -1}}}}}}""", "deliveryOptions.presets.TxProfile.x.settings.stackLevel", "integer")]
    [InlineData("customer", """{"deliveryOptions": {"presets": {"TxProfile": {"x": {"settings": {"stackLevel": 1.5}}}}}}""", "deliveryOptions.presets.TxProfile.x.settings.stackLevel", "integer")]
    [InlineData("customer", """{"deliveryOptions": {"presets": {"TxProfile": {"x": {"settings": {"chargingRateUnit": "kW"}}}}}}""", "deliveryOptions.presets.TxProfile.x.settings.chargingRateUnit", "\"W\" or \"A\"")]
    [InlineData("customer", """{"deliveryOptions": {"presets": {"TxProfile": {"x": {"settings": {"limitDeliveryType": "Some"}}}}}}""", "deliveryOptions.presets.TxProfile.x.settings.limitDeliveryType", "Sequential")]
    [InlineData("customer", """{"deliveryOptions": {"presets": {"TxProfile": {"x": {"settings": {"chargingProfilePurpose": "TxDefaultProfile"}}}}}}""", "deliveryOptions.presets.TxProfile.x.settings.chargingProfilePurpose", "must be TxProfile")]
    [InlineData("customer", """{"deliveryOptions": {"presets": {"TxProfile": {"x": {"settings": {"numberPhases": "yes"}}}}}}""", "deliveryOptions.presets.TxProfile.x.settings.numberPhases", "boolean")]
    [InlineData("customer", """{"deliveryOptions": {"presets": {"TxProfile": {"x": {"settings": {"speed": 1}}}}}}""", "deliveryOptions.presets.TxProfile.x.settings.speed", "unknown setting")]
    [InlineData("customer", """{"deliveryOptions": {"presets": {"TxProfile": {"x": {"isDefault": "yes"}}}}}""", "deliveryOptions.presets.TxProfile.x.isDefault", "boolean")]
    [InlineData("customer", """{"deliveryOptions": {"presets": {"ChargePointMaxProfile": {}}}}""", "deliveryOptions.presets.ChargePointMaxProfile", "unknown preset purpose")]
    [InlineData("customer", """{"deliveryOptions": {"presets": {"TxProfile": {"ampcontrol-default-TxProfile": {"settings": {"stackLevel": 9}}}}}}""", "deliveryOptions.presets.TxProfile.ampcontrol-default-TxProfile.settings", "built-in")]
    [InlineData("customer", """{"deliveryOptions": {"presets": {"TxProfile": {"a": {"isDefault": true}, "b": {"isDefault": true}}}}}""", "deliveryOptions.presets.TxProfile.b.isDefault", "only one")]
    [InlineData("customer", """{"integrations": []}""", "integrations", "must be an object")]
    [InlineData("customer", """[1, 2]""", "body", "JSON object")]
    [InlineData("customer", """{"integrations": {""", "body", "not valid JSON")]
    public async Task Invalid_bodies_are_refused_naming_the_field_and_nothing_is_stored(string level, string body, string field, string reason)
    {
        using var other = await SecondCustomer.CreateAsync(Host, "inv-" + Guid.NewGuid().ToString("N")[..8]);
        var network = await other.Network();
        var chargePoint = await other.ChargePoint(network.Id());
        var me = (await other.Get("/v2/users/me")).First;
        var id = level switch { "network" => network.Id(), "chargepoint" => chargePoint.Id(), "user" => me.Id(), _ => (string)me["customer"]! };
        var url = $"{Path}?{level}={id}";
        var before = (await other.Get(url)).First.ToString();
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Patch })
        {
            var response = await other.Send(method, url, body);
            Assert.Equal(400, response.Status);
            Assert.Equal("fail", (string?)response.Body["status"]);
            Assert.True(response.FailFor(field)?.Contains(reason) == true, $"{method}: expected {field} ~ {reason}, got {response}");
            Assert.Equal(before, (await other.Get(url)).First.ToString());
        }
    }

    [Fact]
    public async Task A_rejected_patch_leaves_the_stored_configuration_as_it_was()
    {
        var network = await Api.Network();
        var url = $"{Path}?network={network.Id()}";
        var stored = (await Api.Post(url, new { alerts = false, integrations = new { a = 1 } })).First.ToString();
        var rejected = await Api.Patch(url, new { integrations = new { b = 2 }, deliveryOptions = new { TxProfile = "nope" } });
        Assert.Equal(400, rejected.Status);
        Assert.Equal(stored, (await Api.Get(url)).First.ToString());
    }

    [Theory]
    [InlineData("", "query")]
    [InlineData("network=a&chargepoint=b", "chargepoint")]
    [InlineData("networks=a", "networks")]
    [InlineData("network=a&network=b", "network")]
    public async Task The_query_must_name_exactly_one_level(string query, string field)
    {
        var response = await Api.Get($"{Path}?{query}");
        Assert.Equal(400, response.Status);
        Assert.NotNull(response.FailFor(field));
        Assert.Equal(400, (await Api.Delete(Path)).Status);
    }

    [Fact]
    public async Task Auth_read_only_admin_only_and_other_customers()
    {
        var network = await Api.Network();
        var url = $"{Path}?network={network.Id()}";
        var created = (await Api.Post(url, new { alerts = false })).First;
        var customer = await CustomerId(Api);

        using var anonymous = Host.Client(null!);
        Assert.Equal(401, (await anonymous.Get(url)).Status);
        Assert.Equal(401, (await anonymous.Post(url, new { alerts = true })).Status);
        Assert.Equal(401, (await anonymous.Patch(url, new { alerts = true })).Status);
        Assert.Equal(401, (await anonymous.Delete($"{Path}?configuration_uuid={created.Id()}")).Status);

        using var reader = await Host.UserOfType("read_only");
        Assert.Equal(200, (await reader.Get(url)).Status);
        Assert.Equal(200, (await reader.Get($"{Path}?customer={customer}")).Status);
        Assert.Equal(403, (await reader.Patch(url, new { alerts = true })).Status);
        Assert.Equal(403, (await reader.Delete($"{Path}?configuration_uuid={created.Id()}")).Status);
        using var service = await Host.UserOfType("service");
        Assert.Equal(403, (await service.Patch(url, new { alerts = true })).Status);
        Assert.Equal(403, (await service.Delete($"{Path}?configuration_uuid={created.Id()}")).Status);

        using var other = await SecondCustomer.CreateAsync(Host, "x-" + Guid.NewGuid().ToString("N")[..8]);
        Assert.Equal(404, (await other.Get(url)).Status);
        Assert.Equal(404, (await other.Post(url, new { alerts = true })).Status);
        Assert.Equal(404, (await other.Patch(url, new { alerts = true })).Status);
        Assert.Equal(404, (await other.Delete($"{Path}?configuration_uuid={created.Id()}")).Status);
        Assert.Equal(404, (await other.Get($"{Path}?customer={customer}")).Status);
        Assert.Equal(404, (await other.Patch($"{Path}?customer={customer}", new { integrations = new { } })).Status);
        var cp = await Api.ChargePoint(network.Id());
        Assert.Equal(404, (await other.Get($"{Path}?chargepoint={cp.Id()}")).Status);
        var me = (await Api.Get("/v2/users/me")).First.Id();
        Assert.Equal(404, (await other.Get($"{Path}?user={me}")).Status);

        Assert.Equal(created.ToString(), (await Api.Get(url)).First.ToString());
    }

    private static async Task<string> CustomerId(ApiClient api) => (string)(await api.Get("/v2/users/me")).First["customer"]!;

    private static JObject WithoutMeta(JObject config)
    {
        var copy = (JObject)config.DeepClone();
        foreach (var key in Meta) copy.Remove(key);
        return copy;
    }
}
