using Cms.IntegrationTests.Harness;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Ocpp;

/// <summary>Driving an OCPP 2.0.1 station (ocpp-rpc, strict mode): boot, transaction events, received profiles.</summary>
public static class Ocpp201Station
{
    /// <summary>Connects with ocpp2.0.1, accepts every SetChargingProfile, boots and reports EVSE 1 connector 1 Available.</summary>
    public static async Task<NodeCharger> ConnectAsync(TestHost host, string ocppId, string profileAnswer = "Accepted")
    {
        var station = await host.ConnectAsync($"ocpp/{ocppId}", protocol: "ocpp2.0.1");
        await station.HandleAsync("SetChargingProfile", new { status = profileAnswer });
        var boot = await station.CallAsync("BootNotification", new { reason = "PowerUp", chargingStation = new { model = "S-201", vendorName = "AmpTest" } });
        Assert.Equal("Accepted", (string?)boot["status"]);
        await station.CallAsync("StatusNotification", new { timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow), connectorStatus = "Available", evseId = 1, connectorId = 1 });
        return station;
    }

    public static object IdToken(string value) => new { idToken = value, type = "ISO14443" };

    /// <summary>One sampled value in 2.0.1's shape.</summary>
    public static object Sample(double value, string measurand, string unit, string context = "Sample.Periodic") =>
        new { value, measurand, context, unitOfMeasure = new { unit } };

    public static object[] Meter(params object[] samples) => [new { timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow), sampledValue = samples }];

    /// <summary>A TransactionEvent; returns the CALLRESULT payload.</summary>
    public static Task<JObject> TransactionEventAsync(this NodeCharger station, string eventType, string transactionId, int seqNo,
        string triggerReason, string? chargingState = null, object? idToken = null, object[]? meterValue = null, string? stoppedReason = null,
        int evseId = 1, DateTimeOffset? at = null)
    {
        var info = new JObject { ["transactionId"] = transactionId };
        if (chargingState is not null) info["chargingState"] = chargingState;
        if (stoppedReason is not null) info["stoppedReason"] = stoppedReason;
        var payload = new JObject
        {
            ["eventType"] = eventType, ["timestamp"] = OcppKit.Ocpp(at ?? DateTimeOffset.UtcNow), ["triggerReason"] = triggerReason,
            ["seqNo"] = seqNo, ["transactionInfo"] = info, ["evse"] = new JObject { ["id"] = evseId, ["connectorId"] = 1 },
        };
        if (idToken is not null) payload["idToken"] = JObject.FromObject(idToken);
        if (meterValue is not null) payload["meterValue"] = JArray.FromObject(meterValue);
        return station.CallAsync("TransactionEvent", payload);
    }

    /// <summary>The next SetChargingProfile the station receives whose first-period limit (W) satisfies the condition.</summary>
    public static async Task<JObject> ReceivedProfileAsync(this NodeCharger station, Func<double, bool> condition, string what)
    {
        var received = await station.WaitForAsync(e => (string?)e["event"] == "received" && (string?)e["action"] == "SetChargingProfile"
            && condition(FirstLimit((JObject)e["payload"]!)), what);
        return (JObject)received["payload"]!;
    }

    public static double FirstLimit(JObject setChargingProfile) =>
        (double)setChargingProfile["chargingProfile"]!["chargingSchedule"]![0]!["chargingSchedulePeriod"]![0]!["limit"]!;
}
