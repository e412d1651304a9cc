using System.Globalization;
using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Live;

/// <summary>What a strict OCPP 1.6 charger reported, as the /v2/profiles/ series show it in the spec's units.</summary>
public sealed class LiveProfileTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TestHost Host => fixture.Host;
    private ApiClient Api => fixture.Host.Admin;

    private static string Q(DateTimeOffset t) => Uri.EscapeDataString(t.ToString("O", CultureInfo.InvariantCulture));

    private async Task<JObject> Profile(string path)
    {
        var response = await Api.Get(path);
        Assert.True(response.Status == 200, $"GET {path}: {response}");
        return (JObject)response.Body["data"]!;
    }

    private static double?[] Values(JObject data) => data["values"]!.Select(v => v.Type == JTokenType.Null ? (double?)null : Math.Round((double)v, 6)).ToArray();

    [NodeFact]
    public async Task Power_energy_voltage_frequency_and_temperature_profiles_show_the_chargers_readings_in_the_specs_units()
    {
        var (networkId, cpId, ocppId) = await OcppKit.ChargePointAsync(Api, "meter");
        await using var charger = await Host.ConnectAsync($"ocpp/{ocppId}");
        await charger.BootAsync();
        var connector = (string)(await Api.Get($"/v2/connectors?chargepoint={cpId}")).First["id"]!;
        var now = DateTimeOffset.UtcNow;
        var t0 = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(-10);

        static JObject S(string value, string measurand, string? unit = null, string? phase = null)
        {
            var sample = new JObject { ["value"] = value, ["measurand"] = measurand };
            if (unit is not null) sample["unit"] = unit;
            if (phase is not null) sample["phase"] = phase;
            return sample;
        }
        await charger.CallAsync("MeterValues", new
        {
            connectorId = 1,
            meterValue = new object[]
            {
                new
                {
                    timestamp = OcppKit.Ocpp(t0),
                    sampledValue = new[]
                    {
                        S("7000", "Power.Active.Import", "W"), S("1000", "Energy.Active.Import.Register", "Wh"),
                        S("229", "Voltage", "V", "L1-N"), S("231", "Voltage", "V", "L2-N"), S("50", "Frequency"), S("25", "Temperature", "Celsius"),
                    },
                },
                new
                {
                    timestamp = OcppKit.Ocpp(t0.AddMinutes(5)),
                    sampledValue = new[]
                    {
                        S("11", "Power.Active.Import", "kW"), S("2", "Energy.Active.Import.Register", "kWh"),
                        S("240", "Voltage", "V"), S("50.2", "Frequency"), S("86", "Temperature", "Fahrenheit"),
                    },
                },
            },
        });
        var window = $"start={Q(t0)}&end={Q(t0.AddMinutes(10))}";

        var power = await Profile($"/v2/profiles/meter_values/power?connector={connector}&{window}&resolution=1m");
        Assert.Equal("kW", (string?)power["unit"]);
        Assert.Equal("1m", (string?)power["resolution"]);
        Assert.Equal(10, power["timestamps"]!.Count());
        Assert.Equal(t0, OcppKit.Time(power["timestamps"]![0]));
        Assert.Equal([7.0, 7.0, 7.0, 7.0, 7.0, 11.0, 11.0, 11.0, 11.0, 11.0], Values(power));
        // The same readings for the whole network; the automatic resolution of a 10-minute window is 1m too.
        var network = await Profile($"/v2/profiles/meter_values/power?network={networkId}&{window}");
        Assert.Equal("1m", (string?)network["resolution"]);
        Assert.Equal(Values(power), Values(network));
        // A coarser step is the time-weighted average.
        Assert.Equal([9.0], Values(await Profile($"/v2/profiles/meter_values/power?chargepoint={cpId}&{window}&resolution=15m")));

        var energy = await Profile($"/v2/profiles/meter_values/energy?connector={connector}&{window}&resolution=1m");
        Assert.Equal("kWh", (string?)energy["unit"]);
        Assert.Equal([0.2, 0.2, 0.2, 0.2, 0.2, null, null, null, null, null], Values(energy));

        var voltage = await Profile($"/v2/profiles/meter_values/voltage?connector={connector}&{window}&resolution=1m");
        Assert.Equal("V", (string?)voltage["unit"]);
        Assert.Equal(230.0, Values(voltage)[0]);
        Assert.Equal(240.0, Values(voltage)[5]);

        var frequency = await Profile($"/v2/profiles/meter_values/frequency?connector={connector}&{window}&resolution=1m");
        Assert.Equal("Hz", (string?)frequency["unit"]);
        Assert.Equal(50.0, Values(frequency)[0]);
        Assert.Equal(50.2, Values(frequency)[5]);

        var temperature = await Profile($"/v2/profiles/meter_values/temperature?connector={connector}&{window}&resolution=1m");
        Assert.Equal("K", (string?)temperature["unit"]);
        Assert.Equal(298.15, Values(temperature)[0]); // 25 °C
        Assert.Equal(303.15, Values(temperature)[5]); // 86 °F = 30 °C

        charger.AssertNoComplaints();
    }

    [NodeFact]
    public async Task The_SoC_a_charger_reports_for_a_vehicle_is_its_meter_values_soc_and_telematics_soc_profile()
    {
        var (_, cpId, ocppId) = await OcppKit.ChargePointAsync(Api, "soc");
        var vehicle = await Api.Create("/v2/vehicles", new { name = "Van", stateOfCharge = 10 });
        await Api.Create("/v2/id_tags/", new { value = ocppId, group = "RFID", vehicleId = vehicle.Id() });
        await using var charger = await Host.ConnectAsync($"ocpp/{ocppId}");
        await charger.HandleAsync("SetChargingProfile", new { status = "Accepted" });
        await charger.BootAsync();
        var now = DateTimeOffset.UtcNow;
        var t0 = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(-4);
        var start = await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = ocppId, meterStart = 0, timestamp = OcppKit.Ocpp(t0) });
        await charger.CallAsync("MeterValues", new
        {
            connectorId = 1, transactionId = (long)start["transactionId"]!,
            meterValue = new[]
            {
                new { timestamp = OcppKit.Ocpp(t0), sampledValue = new[] { new { value = "20", measurand = "SoC", unit = "Percent", location = "EV" } } },
                new { timestamp = OcppKit.Ocpp(t0.AddMinutes(2)), sampledValue = new[] { new { value = "30", measurand = "SoC", unit = "Percent", location = "EV" } } },
            },
        });
        var connector = (string)(await Api.Get($"/v2/connectors?chargepoint={cpId}")).First["id"]!;
        var window = $"start={Q(t0)}&end={Q(t0.AddMinutes(4))}&resolution=1m";

        foreach (var scope in new[] { $"vehicle={vehicle.Id()}", $"connector={connector}" })
        {
            var soc = await Profile($"/v2/profiles/meter_values/soc?{scope}&{window}");
            Assert.Equal("%", (string?)soc["unit"]);
            Assert.Equal([20.0, 20.0, 30.0, 30.0], Values(soc));
        }
        var telematics = await Profile($"/v2/profiles/telematics/soc?vehicle={vehicle.Id()}&{window}");
        Assert.Equal("%", (string?)telematics["unit"]);
        // A batch's newest SoC becomes the vehicle's telematics sample; before it the series has no data.
        Assert.Equal([null, null, 30.0, 30.0], Values(telematics));
        await Api.Create($"/v2/vehicles/{vehicle.Id()}/telematics", new { timestamp = OcppKit.Ocpp(t0), stateOfCharge = 10 });
        Assert.Equal([20.0], Values(await Profile($"/v2/profiles/telematics/soc?vehicle={vehicle.Id()}&start={Q(t0)}&end={Q(t0.AddMinutes(4))}&resolution=15m")));
    }

    [NodeFact]
    public async Task Ocpp_status_shows_the_status_sequence_the_charger_reported()
    {
        var (_, cpId, ocppId) = await OcppKit.ChargePointAsync(Api, "status");
        await using var charger = await Host.ConnectAsync($"ocpp/{ocppId}");
        await charger.BootAsync();
        foreach (var (status, error) in new[] { ("Preparing", "NoError"), ("Charging", "NoError"), ("Faulted", "HighTemperature"), ("Available", "NoError") })
            await charger.CallAsync("StatusNotification", new { connectorId = 1, errorCode = error, status });
        await charger.CallAsync("StatusNotification", new { connectorId = 0, errorCode = "NoError", status = "Available" });
        var connector = (string)(await Api.Get($"/v2/connectors?chargepoint={cpId}")).First["id"]!;

        var response = await Api.Get($"/v2/profiles/ocpp_status?connector={connector}");
        Assert.Equal(200, response.Status);
        var data = (JObject)response.Body["data"]!;
        Assert.Equal(["Available", "Preparing", "Charging", "Faulted", "Available"], data["values"]!.Values<string>());
        Assert.Equal("HighTemperature", (string?)data["errorCodes"]![3]);
        Assert.Equal(5, response.Total);
        var times = data["timestamps"]!.Select(OcppKit.Time).ToList();
        Assert.Equal(times.Order(), times);

        // The charge point's view holds its own status (connector 0) too; limit and offset cut the series.
        var cp = await Api.Get($"/v2/profiles/ocpp_status?chargepoint={cpId}&limit=2&offset=1");
        Assert.Equal(6, cp.Total);
        Assert.Equal(["Preparing", "Charging"], cp.Body["data"]!["values"]!.Values<string>());
        Assert.Equal([1L, 1L], cp.Body["data"]!["connectorIds"]!.Values<long>());
    }

    [Fact]
    public async Task Profiles_name_the_bad_parameter_and_never_show_another_customers_data()
    {
        var network = await Api.Network();
        var cp = await Api.ChargePoint(network.Id());
        var connector = await Api.Connector(cp.Id());
        Assert.Equal("is required", (await Api.Get("/v2/profiles/meter_values/frequency")).FailFor("connector"));
        Assert.Equal("unknown query parameter", (await Api.Get($"/v2/profiles/meter_values/voltage?network={network.Id()}")).FailFor("network"));
        Assert.NotNull((await Api.Get("/v2/profiles/meter_values/power")).FailFor("network"));
        Assert.NotNull((await Api.Get($"/v2/profiles/meter_values/power?network={network.Id()}&resolution=3h")).FailFor("resolution"));
        Assert.NotNull((await Api.Get($"/v2/profiles/meter_values/soc?connector=not-a-uuid")).FailFor("connector"));
        Assert.NotNull((await Api.Get($"/v2/profiles/uptime?network={network.Id()}&start=yesterday")).FailFor("start"));
        Assert.NotNull((await Api.Get($"/v2/profiles/ocpp_status?connector={connector.Id()}&limit=0")).FailFor("limit"));
        Assert.Equal("is required", (await Api.Get("/v2/profiles/telematics/soc")).FailFor("vehicle"));
        Assert.NotNull((await Api.Get($"/v2/profiles/connectivity?network={network.Id()}&colour=red")).FailFor("colour"));

        using var other = await SecondCustomer.CreateAsync(Host, "profiles-other");
        Assert.Equal(404, (await other.Get($"/v2/profiles/meter_values/power?network={network.Id()}")).Status);
        Assert.Equal(404, (await other.Get($"/v2/profiles/meter_values/temperature?connector={connector.Id()}")).Status);
        Assert.Equal(404, (await other.Get($"/v2/profiles/ocpp_status?chargepoint={cp.Id()}")).Status);
        Assert.Equal(404, (await other.Get($"/v2/profiles/connectivity?chargepoint={cp.Id()}")).Status);
        Assert.Equal(404, (await other.Get($"/v2/kpis/uptime/network?network={network.Id()}")).Status);
        Assert.Equal(404, (await other.Get($"/v2/kpis/uptime/connectors?connector={connector.Id()}")).Status);
        Assert.Equal(0, (await other.Get("/v2/kpis/connectivity/charge_points")).Total);
    }
}
