using System.Collections.Concurrent;
using Cms.Core.Domain;
using Cms.IntegrationTests.Harness;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Vehicles;

public sealed class TelematicsTests
{
    [Fact]
    public async Task The_specs_sample_is_stored_listed_by_window_and_its_soc_becomes_the_vehicles()
    {
        await using var host = await TestHost.StartAsync();
        var v = await host.Admin.Create("/v2/vehicles", new { name = "Bus", stateOfCharge = 10 });
        var networkId = await FleetTestData.StartSessionAsync(host, (string)v["id"]!);
        var events = new ConcurrentQueue<NetworkChanged>();
        host.Services.GetRequiredService<DomainEvents>().OnNetworkChanged(events.Enqueue);

        var sample = await host.Admin.Post($"/v2/vehicles/{v["id"]}/telematics", """
            {"timestamp": "2020-10-11T08:19:00", "stateOfCharge": 80.5, "latitude": 32.2431, "longitude": 115.793, "plugConnected": true,
             "dataConnected": true, "batteryCapacity": 130, "batteryPower": 50, "rangeRemaining": 150.5, "chargingState": "Charging",
             "chargingEnergy": 100.5, "drivingEnergy": 100.5, "regenEnergy": 50.5, "otherEnergy": 10.5, "cabinTemperature": 22,
             "batteryTemperature": 40, "chargingPower": 40, "odometer": 1000, "ignition": true, "source": "thirdPartyTelematics"}
            """);
        Assert.Equal(201, sample.Status);
        Assert.Equal("2020-10-11T08:19:00.000000+00:00", (string?)sample.First["timestamp"]);
        Assert.Equal((string?)v["id"], (string?)sample.First["vehicleId"]);
        Assert.Equal(80.5, (double)sample.First["stateOfCharge"]!);
        Assert.Equal("Charging", (string?)sample.First["chargingState"]);
        Assert.Equal(80.5, (double)(await host.Admin.Get($"/v2/vehicles/{v["id"]}")).First["stateOfCharge"]!);
        Assert.True(events.TryDequeue(out var e) && e.NetworkId == networkId);

        // An older sample is history only: the vehicle keeps the newer SoC.
        await host.Admin.Create($"/v2/vehicles/{v["id"]}/telematics", new { timestamp = "2020-10-11T07:00:00Z", stateOfCharge = 40 });
        Assert.Equal(80.5, (double)(await host.Admin.Get($"/v2/vehicles/{v["id"]}")).First["stateOfCharge"]!);

        var all = await host.Admin.Get($"/v2/vehicles/{v["id"]}/telematics");
        Assert.Equal(2, all.Total);
        Assert.Equal([80.5, 40.0], all.Data.Select(d => (double)d["stateOfCharge"]!).ToList()); // newest first
        var window = await host.Admin.Get($"/v2/vehicles/{v["id"]}/telematics?start=2020-10-11T08:00:00&end=2020-10-11T09:00:00");
        Assert.Equal(1, window.Total);
        Assert.Equal(80.5, (double)window.First["stateOfCharge"]!);

        var live = await host.Admin.Get("/v2/vehicles/telematics/live");
        Assert.Equal(1, live.Total);
        Assert.Equal(80.5, (double)live.First["stateOfCharge"]!);
    }

    [Theory]
    [InlineData("""{"stateOfCharge": 50}""", "timestamp")]
    [InlineData("""{"timestamp": "2020-10-11T08:19:00Z"}""", "stateOfCharge")]
    [InlineData("""{"timestamp": "2020-10-11T08:19:00Z", "latitude": 10}""", "longitude")]
    [InlineData("""{"timestamp": "2020-10-11T08:19:00Z", "longitude": 10}""", "latitude")]
    [InlineData("""{"timestamp": "2020-10-11T08:19:00Z", "stateOfCharge": 120}""", "stateOfCharge")]
    [InlineData("""{"timestamp": "2020-10-11T08:19:00Z", "chargingState": "Idle"}""", "chargingState")]
    [InlineData("""{"timestamp": "2020-10-11T08:19:00Z", "stateOfCharge": 5, "vehicleId": "33fe5b42-f717-43f6-ba0a-eab4cae81bfa"}""", "vehicleId")]
    public async Task A_bad_sample_is_named_and_nothing_is_stored(string body, string field)
    {
        await using var host = await TestHost.StartAsync();
        var v = await host.Admin.Create("/v2/vehicles", new { name = "Bus" });
        var response = await host.Admin.Post($"/v2/vehicles/{v["id"]}/telematics", body);
        Assert.Equal(400, response.Status);
        Assert.NotNull(response.FailFor(field));
        Assert.Equal(0, await FleetTestData.CountRowsAsync(host, "vehicle_telematics"));
    }

    [Fact]
    public async Task Another_customers_vehicle_telematics_answer_404()
    {
        await using var host = await TestHost.StartAsync();
        var v = await host.Admin.Create("/v2/vehicles", new { name = "Bus" });
        await host.Admin.Create($"/v2/vehicles/{v["id"]}/telematics", new { timestamp = "2020-10-11T07:00:00Z", stateOfCharge = 40 });
        using var other = await SecondCustomer.CreateAsync(host, "telematicsrival");
        Assert.Equal(404, (await other.Get($"/v2/vehicles/{v["id"]}/telematics")).Status);
        Assert.Equal(404, (await other.Post($"/v2/vehicles/{v["id"]}/telematics", new { timestamp = "2020-10-11T08:00:00Z", stateOfCharge = 1 })).Status);
        Assert.Equal(0, (await other.Get("/v2/vehicles/telematics/live")).Total);
        Assert.Equal(1, await FleetTestData.CountRowsAsync(host, "vehicle_telematics"));
        Assert.Equal(JTokenType.Float, (await host.Admin.Get("/v2/vehicles/telematics/live")).First["stateOfCharge"]!.Type);
    }
}
