using Cms.IntegrationTests.Harness;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.GettingStarted;

/// <summary>The spec's "Getting started" walkthrough, with its own payloads, checking every field it shows.</summary>
public sealed class GettingStartedTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private ApiClient Api => fixture.Host.Admin;

    [Fact]
    public async Task Steps_1_to_12_answer_with_the_spec_shapes()
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

        // 5. Post/start a charging session (the spec's payload: charge point and connector ids only).
        var watch = new OptimizationWatch(fixture.Host);
        var started = await Api.Post("/v2/charging_sessions/", JObject.Parse(
            $$"""{"chargePointId": "{{cp.Id()}}", "connectorId": "{{connector.Id()}}"}"""));
        Assert.Equal(201, started.Status);
        var session = started.First;
        AssertIdAndTimes(session);
        Assert.Equal(connector.Id(), (string?)session["connectorId"]);
        Assert.Equal("kW", (string?)session["chargingRateUnit"]);
        foreach (var field in new[] { "vehicleId", "transactionId", "energyToCharge", "maximumChargingTimeDate", "maxChargingPowerOfVehicle" })
            Assert.Equal(JTokenType.Null, session[field]!.Type);
        Assert.Equal(cp.Id(), (string?)session["chargePointId"]);

        // 6. Get optimization results: the network (30 kW less the 2 % buffer) is the limiting factor.
        await watch.WaitAsync(networkId, r => r.Items.Count == 1);
        var optimization = (await Api.Get($"/v2/optimizations/?network={networkId}")).First;
        Assert.Equal("load_sharing", (string?)optimization["method"]);
        Assert.Equal(29.4, (double)optimization["csChargingProfiles"]!["chargingSchedule"]!["chargingSchedulePeriod"]![0]!["limit"]!, 6);
        Assert.Equal(connector.Id(), (string?)optimization["connector"]);

        // 7. Post meter values: the response repeats what was stored.
        var meter = await Api.Post("/v2/meter_values/", JObject.Parse($$"""
            {"chargePointId": "{{cp.Id()}}", "connectorId": 1, "meterValues": [{"sampledValue": [{"context": "Sample.Periodic",
             "format": "Raw", "location": "Outlet", "measurand": "Energy.Active.Import.Register", "phase": "L1", "unit": "Wh",
             "value": 56790}], "timestamp": "2021-07-10T17:40:56+00:00"}]}
            """));
        Assert.True(meter.Status is 200 or 201, meter.ToString());
        var mv = meter.First;
        Assert.Equal(cp.Id(), (string?)mv["chargePointId"]);
        Assert.Equal(1, (int)mv["connectorId"]!);
        var sample = mv["meterValues"]![0]!["sampledValue"]![0]!;
        Assert.Equal("2021-07-10T17:40:56.000000+00:00", (string?)mv["meterValues"]![0]!["timestamp"]); // the one timestamp format of the API
        Assert.Equal(56790, (double)sample["value"]!);
        Assert.Equal("Energy.Active.Import.Register", (string?)sample["measurand"]);
        Assert.Equal("Wh", (string?)sample["unit"]);

        // 8. Delete/stop the session: answered with the session, now ended.
        var stopped = await Api.Delete($"/v2/charging_sessions/{session.Id()}");
        Assert.Equal(200, stopped.Status);
        Assert.Equal(session.Id(), stopped.First.Id());
        Assert.Equal((string?)session["created"], (string?)stopped.First["created"]);
        Assert.False((bool)stopped.First["active"]!);
        Assert.NotEqual(JTokenType.Null, stopped.First["sessionEnd"]!.Type);

        // 9. Post a vehicle.
        var vehicle = (await Api.Post("/v2/vehicles/", JObject.Parse(
            """{"name": "Bus 2", "VIN": "4Y1SL65848Z411439", "batteryCapacity": 100, "maxChargingPower": 11.5, "targetStateOfCharge": 100}"""))).First;
        AssertIdAndTimes(vehicle);
        Assert.Equal("Bus 2", (string?)vehicle["name"]);
        Assert.Equal("4Y1SL65848Z411439", (string?)vehicle["VIN"]);
        Assert.Equal(0.0, (double)vehicle["stateOfCharge"]!);
        Assert.Equal(100.0, (double)vehicle["targetStateOfCharge"]!);
        Assert.Equal(11.5, (double)vehicle["maxChargingPower"]!);
        Assert.Equal(100.0, (double)vehicle["batteryCapacity"]!);
        Assert.False((bool)vehicle["active"]!);

        // 10. Update the vehicle.
        var updatedVehicle = (await Api.Patch($"/v2/vehicles/{vehicle.Id()}", JObject.Parse(
            """{"departureTime": "2020-08-13T06:00:00+00:00", "stateOfCharge": 15.5, "targetStateOfCharge": 90.0}"""))).First;
        Assert.Equal(15.5, (double)updatedVehicle["stateOfCharge"]!);
        Assert.Equal(90.0, (double)updatedVehicle["targetStateOfCharge"]!);
        Assert.Equal("2020-08-13T06:00:00.000000+00:00", (string?)updatedVehicle["departureTime"]);

        // 11. Start a session with vehicle data.
        var withVehicle = (await Api.Post("/v2/charging_sessions/", JObject.Parse(
            $$"""{"chargePointId": "{{cp.Id()}}", "connectorId": "{{connector.Id()}}", "vehicleId": "{{vehicle.Id()}}"}"""))).First;
        Assert.Equal(vehicle.Id(), (string?)withVehicle["vehicleId"]);
        Assert.True((bool)withVehicle["active"]!);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$", (string?)withVehicle["sessionStart"]);
        Assert.Equal(JTokenType.Null, withVehicle["sessionEnd"]!.Type);
        Assert.True((bool)(await Api.Get($"/v2/vehicles/{vehicle.Id()}")).First["active"]!);

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
