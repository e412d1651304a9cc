using Cms.Ocpp.Connection;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Tests;

/// <summary>
/// An independent client (ocpp-rpc, strict mode: it checks our frames against the official
/// schemas) talks to our endpoint. Any strictValidationFailure or badMessage is a failure.
/// </summary>
public class NodeChargerTests
{
    static readonly JObject Profile16 = JObject.Parse("""
        {"connectorId":1,"csChargingProfiles":{"chargingProfileId":7,"stackLevel":0,
         "chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Absolute",
         "chargingSchedule":{"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":11000.0}]}}}
        """);

    [NodeFact]
    public async Task An_ocpp_1_6_charger_boots_and_receives_a_charging_profile()
    {
        await using var host = await TestHost.StartAsync();
        await using var charger = NodeCharger.Start(host.OcppUri("ocpp/acme/NODE-16"), "ocpp1.6", password: "secret");
        Assert.Equal("ocpp1.6", (string?)(await charger.WaitForEventAsync("open"))["protocol"]);
        var server = await host.Events.Connected.Task.WaitAsync(NodeCharger.Wait);

        await charger.SendAsync(new { call = "BootNotification", payload = new { chargePointVendor = "Node", chargePointModel = "ocpp-rpc" } });
        var boot = await charger.WaitForEventAsync("result", "BootNotification");
        Assert.Equal("Accepted", (string?)boot["payload"]!["status"]);

        await charger.SendAsync(new { call = "StatusNotification", payload = new { connectorId = 1, errorCode = "NoError", status = "Available" } });
        await charger.WaitForEventAsync("result", "StatusNotification");

        await charger.SendAsync(new { handle = "SetChargingProfile", reply = new { status = "Accepted" } });
        await charger.WaitForEventAsync("handling", "SetChargingProfile");
        var result = await server.CallAsync("SetChargingProfile", Profile16);
        Assert.Equal(OcppCallStatus.Result, result.Status);
        Assert.Equal("Accepted", (string?)result.Payload!["status"]);
        var received = await charger.WaitForEventAsync("received", "SetChargingProfile");
        Assert.Equal(11000.0, (double)received["payload"]!["csChargingProfiles"]!["chargingSchedule"]!["chargingSchedulePeriod"]![0]!["limit"]!);

        // Without a canned reply ocpp-rpc answers NotImplemented, which reaches our caller.
        var reset = await server.CallAsync("Reset", new JObject { ["type"] = "Hard" });
        Assert.Equal((OcppCallStatus.Error, "NotImplemented"), (reset.Status, reset.ErrorCode));

        AssertNoComplaints(charger);
    }

    [NodeFact]
    public async Task An_ocpp_2_0_1_charger_boots_and_heartbeats()
    {
        await using var host = await TestHost.StartAsync();
        await using var charger = NodeCharger.Start(host.OcppUri("ocpp/NODE-201"), "ocpp2.0.1");
        Assert.Equal("ocpp2.0.1", (string?)(await charger.WaitForEventAsync("open"))["protocol"]);

        await charger.SendAsync(new { call = "BootNotification", payload = new { reason = "PowerUp", chargingStation = new { model = "ocpp-rpc", vendorName = "Node" } } });
        Assert.Equal(300, (int)(await charger.WaitForEventAsync("result", "BootNotification"))["payload"]!["interval"]!);
        await charger.SendAsync(new { call = "Heartbeat", payload = new { } });
        await charger.WaitForEventAsync("result", "Heartbeat");

        // A CSMS-only action sent by the charger is refused, and the charger sees the error code.
        await charger.SendAsync(new { call = "DataTransfer", payload = new { vendorId = "X" } });
        var error = await charger.WaitForEventAsync("error", "DataTransfer");
        Assert.Equal("NotSupported", (string?)error["code"]);

        AssertNoComplaints(charger);
    }

    [NodeFact]
    public async Task A_charger_with_a_wrong_password_is_refused()
    {
        await using var host = await TestHost.StartAsync();
        await using var charger = NodeCharger.Start(host.OcppUri("ocpp/NODE-BAD"), "ocpp1.6", password: "wrong");
        var fatal = await charger.WaitForEventAsync("fatal");
        Assert.Equal(401, (int?)fatal["status"]);
        Assert.Equal(0, host.Registry.Count);
    }

    static void AssertNoComplaints(NodeCharger charger)
    {
        lock (charger.Events)
            Assert.DoesNotContain(charger.Events, e => (string?)e["event"] is "strictValidationFailure" or "badMessage" or "fatal");
    }
}
