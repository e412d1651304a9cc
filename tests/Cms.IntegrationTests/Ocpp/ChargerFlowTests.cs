using Cms.IntegrationTests.Harness;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Ocpp;

/// <summary>
/// A 1.6 charger (ocpp-rpc, strict mode) does what chargers do, and the REST resources show what it reported.
/// </summary>
public sealed class ChargerFlowTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TestHost Host => fixture.Host;
    private ApiClient Api => fixture.Host.Admin;

    [NodeFact]
    public async Task Boot_status_authorize_start_meter_values_stop_show_up_in_the_rest_resources()
    {
        var (networkId, cpId, ocppId) = await OcppKit.ChargePointAsync(Api, "flow");
        var connector = await Api.Connector(cpId, connectorId: 1, maxCapacity: 22, currentType: "AC_phase3_LN", voltage: 230);
        await Api.Create("/v2/id_tags/", new { value = "FLOW-OK", group = "RFID" });
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        await using var charger = await Host.ConnectAsync($"ocpp/{ocppId}");
        // Connected: ONLINE over the protocol it negotiated, before it has said anything (recorded just after the upgrade).
        var online = await OcppKit.EventuallyAsync(() => Api.GetOne($"/v2/charge_points/{cpId}"),
            cp => (string?)cp["onlineStatus"] == "ONLINE", "charge point ONLINE once connected");
        Assert.Equal("ocpp1.6", (string?)online["protocol"]);
        Assert.InRange(OcppKit.Time(online["onlineStatusUpdate"]), before, DateTimeOffset.UtcNow.AddSeconds(1));

        var boot = await charger.CallAsync("BootNotification", new
        {
            chargePointVendor = "Ampere", chargePointModel = "AX-22", chargePointSerialNumber = "SN-0042",
            firmwareVersion = "1.2.3", meterType = "EM-340",
        });
        Assert.Equal("Accepted", (string?)boot["status"]);
        Assert.Equal(300, (int)boot["interval"]!);
        Assert.InRange(OcppKit.Time(boot["currentTime"]), before, DateTimeOffset.UtcNow.AddSeconds(1));
        var booted = await Api.GetOne($"/v2/charge_points/{cpId}");
        Assert.Equal("Ampere", (string?)booted["vendor"]);
        Assert.Equal("AX-22", (string?)booted["modelName"]);
        Assert.Equal("SN-0042", (string?)booted["serialNumber"]);
        Assert.Equal("1.2.3", (string?)booted["firmwareVersion"]);
        Assert.Equal("EM-340", (string?)booted["meterType"]);
        Assert.Equal("ONLINE", (string?)booted["onlineStatus"]);

        Assert.NotNull((await charger.CallAsync("Heartbeat", new { }))["currentTime"]);

        var statusAt = DateTimeOffset.UtcNow.AddSeconds(-5);
        await charger.CallAsync("StatusNotification", new { connectorId = 0, errorCode = "NoError", status = "Available", timestamp = OcppKit.Ocpp(statusAt) });
        await charger.CallAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Preparing", timestamp = OcppKit.Ocpp(statusAt) });
        var preparing = await Api.GetOne($"/v2/connectors/{connector.Id()}");
        Assert.Equal("Preparing", (string?)preparing["ocppStatus"]);
        Assert.Equal(statusAt.ToUnixTimeMilliseconds(), OcppKit.Time(preparing["ocppStatusUpdate"]).ToUnixTimeMilliseconds());
        var cpStatus = await Api.GetOne($"/v2/charge_points/{cpId}");
        Assert.Equal("Available", (string?)cpStatus["ocppStatus"]);
        Assert.Equal(statusAt.ToUnixTimeMilliseconds(), OcppKit.Time(cpStatus["ocppStatusUpdate"]).ToUnixTimeMilliseconds());

        Assert.Equal("Accepted", (string?)(await charger.CallAsync("Authorize", new { idTag = "FLOW-OK" }))["idTagInfo"]!["status"]);

        var startAt = DateTimeOffset.UtcNow.AddSeconds(-2);
        var start = await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "FLOW-OK", meterStart = 1500, timestamp = OcppKit.Ocpp(startAt) });
        Assert.Equal("Accepted", (string?)start["idTagInfo"]!["status"]);
        var transactionId = (long)start["transactionId"]!;
        Assert.True(transactionId > 0);
        await charger.CallAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Charging" });

        var sessions = await Api.Get($"/v2/charging_sessions?network={networkId}&chargepoint={cpId}");
        Assert.Equal(1, sessions.Total);
        var session = sessions.First;
        Assert.Equal(transactionId, (long)session["transactionId"]!);
        Assert.Equal(1.5, (double)session["meterStart"]!);
        Assert.Equal("FLOW-OK", (string?)session["idTag"]);
        Assert.Equal(connector.Id(), (string?)session["connectorId"]);
        Assert.Equal(networkId, (string?)session["networkId"]);
        Assert.Equal(startAt.ToUnixTimeMilliseconds(), OcppKit.Time(session["ocppTransactionStart"]).ToUnixTimeMilliseconds());
        Assert.True((bool)session["active"]!);
        Assert.Null((string?)session["sessionEnd"]);

        var meterAt = DateTimeOffset.UtcNow.AddSeconds(-1);
        await charger.CallAsync("MeterValues", new
        {
            connectorId = 1, transactionId,
            meterValue = new[]
            {
                new
                {
                    timestamp = OcppKit.Ocpp(meterAt),
                    sampledValue = new object[]
                    {
                        new { value = "6500", measurand = "Energy.Active.Import.Register", unit = "Wh", context = "Sample.Periodic" },
                        new { value = "7400", measurand = "Power.Active.Import", unit = "W", context = "Sample.Periodic" },
                    },
                },
            },
        });
        var charging = await Api.GetOne($"/v2/charging_sessions/{session.Id()}");
        Assert.Equal(7.4, (double)charging["currentChargingLoad"]!, 6);
        Assert.Equal(7.4, (double)(await Api.GetOne($"/v2/charge_points/{cpId}"))["currentChargingLoad"]!, 6);
        Assert.Equal("Charging", (string?)(await Api.GetOne($"/v2/connectors/{connector.Id()}"))["ocppStatus"]);

        var window = $"start={Uri.EscapeDataString(OcppKit.Ocpp(startAt.AddMinutes(-1)))}&end={Uri.EscapeDataString(OcppKit.Ocpp(DateTimeOffset.UtcNow.AddMinutes(1)))}";
        var rows = (await Api.Get($"/v2/meter_values?chargepoint={cpId}&{window}")).Data.Cast<JObject>().ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.Equal(session.Id(), (string?)r["chargingSessionId"]);
            Assert.Equal(transactionId, (long)r["transactionId"]!);
            Assert.Equal(1, (int)r["connectorId"]!);
            Assert.Equal(connector.Id(), (string?)r["connector"]);
            Assert.Equal(meterAt.ToUnixTimeMilliseconds(), OcppKit.Time(r["timestamp"]).ToUnixTimeMilliseconds());
        });
        Assert.Contains(rows, r => (string?)r["measurand"] == "Power.Active.Import");
        Assert.Contains(rows, r => (string?)r["measurand"] == "Energy.Active.Import.Register");

        var stopAt = DateTimeOffset.UtcNow;
        var stop = await charger.CallAsync("StopTransaction", new { transactionId, idTag = "FLOW-OK", meterStop = 11500, timestamp = OcppKit.Ocpp(stopAt), reason = "Local" });
        Assert.Equal("Accepted", (string?)stop["idTagInfo"]!["status"]);
        var closed = await Api.GetOne($"/v2/charging_sessions/{session.Id()}");
        Assert.Equal(11.5, (double)closed["meterStop"]!);
        Assert.Equal(10.0, (double)closed["energyConsumption"]!, 6);
        Assert.Equal(stopAt.ToUnixTimeMilliseconds(), OcppKit.Time(closed["ocppTransactionStop"]).ToUnixTimeMilliseconds());
        Assert.NotNull((string?)closed["sessionEnd"]);
        Assert.False((bool)closed["active"]!);
        Assert.Equal(0.0, (double)(await Api.GetOne($"/v2/charge_points/{cpId}"))["currentChargingLoad"]!);

        await charger.CallAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Finishing" });
        await charger.CallAsync("DiagnosticsStatusNotification", new { status = "Uploaded" });
        await charger.CallAsync("FirmwareStatusNotification", new { status = "Installed" });
        Assert.Equal("UnknownVendorId", (string?)(await charger.CallAsync("DataTransfer", new { vendorId = "com.example" }))["status"]);
        charger.AssertNoComplaints();

        var onlineSince = OcppKit.Time((await Api.GetOne($"/v2/charge_points/{cpId}"))["onlineStatusUpdate"]);
        await charger.DisposeAsync();
        var offline = await OcppKit.EventuallyAsync(() => Api.GetOne($"/v2/charge_points/{cpId}"),
            cp => (string?)cp["onlineStatus"] == "OFFLINE", "charge point OFFLINE after the charger left");
        Assert.True(OcppKit.Time(offline["onlineStatusUpdate"]) >= onlineSince);
    }

    [NodeFact]
    public async Task Id_tags_are_accepted_blocked_or_invalid_unless_the_charge_point_allows_all()
    {
        var (_, cpId, ocppId) = await OcppKit.ChargePointAsync(Api, "tags");
        var suffix = Guid.NewGuid().ToString("N")[..6];
        await Api.Create("/v2/id_tags/", new { value = "OK-" + suffix, group = "RFID" });
        await Api.Create("/v2/id_tags/", new { value = "BL-" + suffix, group = "RFID", status = "Blocked" });
        await using var charger = await Host.ConnectAsync($"ocpp/{ocppId}");
        await charger.BootAsync();

        async Task<string?> Authorize(string tag) => (string?)(await charger.CallAsync("Authorize", new { idTag = tag }))["idTagInfo"]!["status"];
        Assert.Equal("Accepted", await Authorize("OK-" + suffix));
        Assert.Equal("Blocked", await Authorize("BL-" + suffix));
        Assert.Equal("Invalid", await Authorize("NO-" + suffix));

        // StartTransaction checks the idTag too; the charger decides what to do, the session is still recorded.
        var start = await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "NO-" + suffix, meterStart = 0, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) });
        Assert.Equal("Invalid", (string?)start["idTagInfo"]!["status"]);

        Assert.Equal(200, (await Api.Patch($"/v2/charge_points/{cpId}", new { allowAllIdTags = true })).Status);
        Assert.Equal("Accepted", await Authorize("NO-" + suffix));
        Assert.Equal("Accepted", await Authorize("ANY-" + suffix));
        charger.AssertNoComplaints();
    }

    [NodeFact]
    public async Task A_soc_meter_value_updates_the_vehicle_linked_through_the_id_tag()
    {
        var (networkId, cpId, ocppId) = await OcppKit.ChargePointAsync(Api, "soc");
        var vehicle = await Api.Create("/v2/vehicles", new { name = "Van", stateOfCharge = 10 });
        var tag = "SOC-" + Guid.NewGuid().ToString("N")[..6];
        await Api.Create("/v2/id_tags/", new { value = tag, group = "RFID", vehicleId = vehicle.Id() });
        await using var charger = await Host.ConnectAsync($"ocpp/{ocppId}");
        await charger.BootAsync();

        var start = await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = tag, meterStart = 0, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow.AddMinutes(-1)) });
        var transactionId = (long)start["transactionId"]!;
        var session = (await Api.Get($"/v2/charging_sessions?network={networkId}&chargepoint={cpId}")).First;
        Assert.Equal(vehicle.Id(), (string?)session["vehicleId"]);

        var sample = new { value = "55.5", measurand = "SoC", unit = "Percent", location = "EV" };
        await charger.CallAsync("MeterValues", new { connectorId = 1, transactionId, meterValue = new[] { new { timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow), sampledValue = new[] { sample } } } });
        Assert.Equal(55.5, (double)(await Api.GetOne($"/v2/vehicles/{vehicle.Id()}"))["stateOfCharge"]!);

        // An older sample arriving late does not roll the vehicle back.
        var older = new { value = "40", measurand = "SoC", unit = "Percent", location = "EV" };
        await charger.CallAsync("MeterValues", new { connectorId = 1, transactionId, meterValue = new[] { new { timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow.AddSeconds(-30)), sampledValue = new[] { older } } } });
        Assert.Equal(55.5, (double)(await Api.GetOne($"/v2/vehicles/{vehicle.Id()}"))["stateOfCharge"]!);
        charger.AssertNoComplaints();
    }
}
