using Cms.IntegrationTests.Harness;
using Cms.Ocpp.Tests.Support;

namespace Cms.IntegrationTests.Ocpp;

/// <summary>An OCPP 2.0.1 charger (ocpp-rpc, strict mode) boots, heartbeats and reports status into the same resources.</summary>
public sealed class Ocpp201Tests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private ApiClient Api => fixture.Host.Admin;

    [NodeFact]
    public async Task Boot_heartbeat_and_status_of_a_2_0_1_charger_show_up_in_the_rest_resources()
    {
        var (_, cpId, ocppId) = await OcppKit.ChargePointAsync(Api, "v201");
        await using var charger = await fixture.Host.ConnectAsync($"ocpp/{ocppId}", protocol: "ocpp2.0.1");

        var boot = await charger.CallAsync("BootNotification", new
        {
            reason = "PowerUp",
            chargingStation = new { model = "AX-201", vendorName = "Ampere", serialNumber = "SN-201", firmwareVersion = "2.0.1-a" },
        });
        Assert.Equal("Accepted", (string?)boot["status"]);
        Assert.Equal(300, (int)boot["interval"]!);
        var cp = await Api.GetOne($"/v2/charge_points/{cpId}");
        Assert.Equal(("Ampere", "AX-201", "SN-201", "2.0.1-a"),
            ((string?)cp["vendor"], (string?)cp["modelName"], (string?)cp["serialNumber"], (string?)cp["firmwareVersion"]));
        Assert.Equal(("ONLINE", "ocpp2.0.1"), ((string?)cp["onlineStatus"], (string?)cp["protocol"]));

        Assert.NotNull((await charger.CallAsync("Heartbeat", new { }))["currentTime"]);

        var at = DateTimeOffset.UtcNow.AddSeconds(-3);
        await charger.CallAsync("StatusNotification", new { timestamp = OcppKit.Ocpp(at), connectorStatus = "Occupied", evseId = 1, connectorId = 1 });
        var connector = (Newtonsoft.Json.Linq.JObject)Assert.Single((await Api.Get($"/v2/connectors?chargepoint={cpId}")).Data);
        Assert.Equal(1, (int)connector["connectorId"]!);
        Assert.Equal("Preparing", (string?)connector["ocppStatus"]);
        Assert.Equal(at.ToUnixTimeMilliseconds(), OcppKit.Time(connector["ocppStatusUpdate"]).ToUnixTimeMilliseconds());
        await charger.CallAsync("StatusNotification", new { timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow), connectorStatus = "Available", evseId = 1, connectorId = 1 });
        Assert.Equal("Available", (string?)(await Api.GetOne($"/v2/connectors/{connector.Id()}"))["ocppStatus"]);

        var unsupported = await charger.SendCallAsync("TransactionEvent", new
        {
            eventType = "Started", timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow), triggerReason = "Authorized", seqNo = 0,
            transactionInfo = new { transactionId = "tx-1" },
        });
        Assert.Equal(("error", "NotImplemented"), ((string?)unsupported["event"], (string?)unsupported["code"]));
        charger.AssertNoComplaints();
    }
}
