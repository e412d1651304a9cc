using Cms.IntegrationTests.Harness;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.GettingStarted;

/// <summary>The spec's "Getting started" walkthrough, with its own payloads, checking every field it shows.</summary>
public sealed class GettingStartedTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private ApiClient Api => fixture.Host.Admin;

    [Fact]
    public async Task Steps_1_to_4_and_12_answer_with_the_spec_shapes()
    {
        // 1. Test your token: an empty list of charge points.
        var cps = await Api.Get("/v2/charge_points/");
        Assert.Equal(200, cps.Status);
        Assert.Equal("success", (string?)cps.Body["status"]);
        Assert.Empty(cps.Data);
        Assert.Equal(0, cps.Total);

        // 2. Post a network.
        var network = await Api.Post("/v2/networks/", JObject.Parse("""{"name": "my first network", "maxCapacity": 30}"""));
        Assert.Equal(201, network.Status);
        Assert.Equal(1, network.Total);
        var n = network.First;
        AssertIdAndTimes(n);
        Assert.Equal(30.0, (double)n["maxCapacity"]!);
        Assert.Equal(JTokenType.Float, n["maxCapacity"]!.Type);
        Assert.Equal(JTokenType.Null, n["currentChargingLoad"]!.Type);
        Assert.Equal("my first network", (string?)n["name"]);
        Assert.Equal("load_sharing", (string?)n["objective"]);
        Assert.Equal("UTC", (string?)n["timeZone"]);
        Assert.Equal(JTokenType.Null, n["location"]!.Type);
        Assert.Equal(JTokenType.Null, n["webhook"]!.Type);
        Assert.Equal(JTokenType.Null, n["currentLimit"]!.Type);
        var networkId = n.Id();

        // 3. Post a charge point.
        var cp = (await Api.Post("/v2/charge_points/", JObject.Parse(
            $$"""{"maxCapacity": 75, "name": "Charger 1", "networkId": "{{networkId}}"}"""))).First;
        AssertIdAndTimes(cp);
        Assert.Equal(75.0, (double)cp["maxCapacity"]!);
        Assert.Equal(0.0, (double)cp["currentChargingLoad"]!);
        Assert.Equal("Charger 1", (string?)cp["name"]);
        Assert.Equal(networkId, (string?)cp["networkId"]);
        foreach (var field in new[] { "location", "latitude", "longitude", "vendor", "protocol", "currentLimit" })
            Assert.Equal(JTokenType.Null, cp[field]!.Type);
        Assert.False((bool)cp["active"]!);

        // 4. Post a connector.
        var connector = (await Api.Post("/v2/connectors/", JObject.Parse(
            $$"""{"maxCapacity": 75, "chargePointId": "{{cp.Id()}}", "connectorId": 1, "currentType": "DC", "voltage": 230}"""))).First;
        AssertIdAndTimes(connector);
        Assert.Equal(75.0, (double)connector["maxCapacity"]!);
        Assert.Equal(0.0, (double)connector["currentChargingLoad"]!);
        Assert.Equal(JTokenType.Null, connector["name"]!.Type);
        Assert.Equal(cp.Id(), (string?)connector["chargePointId"]);
        Assert.Equal(1, (int)connector["connectorId"]!);
        Assert.Equal("DC", (string?)connector["currentType"]);
        Assert.Equal(230.0, (double)connector["voltage"]!);
        Assert.Equal(1.0, (double)connector["powerFactor"]!);
        Assert.False((bool)connector["active"]!);
        Assert.Equal(JTokenType.Null, connector["currentLimit"]!.Type);

        // 12. Set a webhook: stored and shown, the secret never.
        var patched = await Api.Patch($"/v2/networks/{networkId}", JObject.Parse(
            """{"webhook": "https://example.com/custom-webhook/", "webhookSecret": "some-secret-string"}"""));
        Assert.Equal(200, patched.Status);
        Assert.Equal("https://example.com/custom-webhook/", (string?)patched.First["webhook"]);
        Assert.Equal("my first network", (string?)patched.First["name"]);
        Assert.Null(patched.First["webhookSecret"]);
        Assert.DoesNotContain("some-secret-string", (await Api.Get($"/v2/networks/{networkId}")).Body.ToString());
        Assert.DoesNotContain("some-secret-string", (await Api.Get("/v2/networks/")).Body.ToString());
    }

    private static void AssertIdAndTimes(JObject item)
    {
        Assert.True(Guid.TryParse((string?)item["id"], out _));
        const string iso = @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$";
        Assert.Matches(iso, (string?)item["created"]);
        Assert.Matches(iso, (string?)item["updated"]);
    }
}
