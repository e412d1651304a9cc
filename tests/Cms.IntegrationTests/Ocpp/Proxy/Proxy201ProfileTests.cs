using Cms.IntegrationTests.Harness;
using Cms.Ocpp.Proxy;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Ocpp.Proxy;

/// <summary>
/// The upstream's own charging profiles on a proxied 2.0.1 station (chargingProfile.id, stackLevel, evseId, criteria):
/// under Below they reach the station with ids out of AmpCMS's range and stack levels under AmpCMS's, and come back
/// with their own ids; under Block they never reach it.
/// </summary>
public sealed class Proxy201ProfileTests : IAsyncLifetime
{
    NodeUpstream _upstream = null!;

    public async Task InitializeAsync()
    {
        if (NodeCharger.SkipReason is null) _upstream = await NodeUpstream.StartAsync(txStart: 90000);
    }

    public async Task DisposeAsync()
    {
        if (_upstream is not null) await _upstream.DisposeAsync();
    }

    static JObject Profile(int id, int stackLevel) => JObject.Parse($$"""
        {"id":{{id}},"stackLevel":{{stackLevel}},"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Absolute",
         "chargingSchedule":[{"id":1,"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":7000}]}]}
        """);

    async Task<(string OcppId, NodeCharger Station)> StationAsync(TestHost host, string prefix)
    {
        await ProxyKit.ProxyToAsync(host, _upstream);
        var (_, ocppId, station) = await ProxyKit.ProxiedChargerAsync(host, _upstream, prefix, "ocpp2.0.1");
        await station.CallAsync("BootNotification", new { reason = "PowerUp", chargingStation = new { model = "S-201", vendorName = "ProxyVendor" } });
        return (ocppId, station);
    }

    void AssertUpstreamQuiet()
    {
        lock (_upstream.Events)
            Assert.DoesNotContain(_upstream.Events, e => (string?)e["event"] is "strictValidationFailure" or "badMessage");
    }

    [NodeFact]
    public async Task Below_moves_the_upstreams_profile_ids_and_stack_levels_under_AmpCMSs_and_restores_the_ids_on_the_way_back()
    {
        await using var host = await TestHost.StartAsync();
        var (ocppId, station) = await StationAsync(host, "below201");
        await using var _ = station;
        await station.HandleAsync("SetChargingProfile", new { status = "Accepted" });
        await station.HandleAsync("ClearChargingProfile", new { status = "Accepted" });
        await station.HandleAsync("GetChargingProfiles", new { status = "Accepted" });
        const long moved = 7 + UpstreamProfiles.Offset;

        var set = await _upstream.CallAsync(ocppId, "SetChargingProfile", new JObject { ["evseId"] = 1, ["chargingProfile"] = Profile(7, 3) });
        Assert.Equal("Accepted", (string?)set["payload"]!["status"]);
        var received = await station.WaitForEventAsync("received", "SetChargingProfile");
        Assert.Equal(moved, (long)received["payload"]!["chargingProfile"]!["id"]!);
        Assert.Equal(0, (int)received["payload"]!["chargingProfile"]!["stackLevel"]!);
        Assert.Equal(1, (int)received["payload"]!["evseId"]!);

        // Clear by id: the moved id. Clear by criteria without a stack level: narrowed to the upstream's level 0.
        Assert.Equal("Accepted", (string?)(await _upstream.CallAsync(ocppId, "ClearChargingProfile", new { chargingProfileId = 7 }))["payload"]!["status"]);
        Assert.Equal(moved, (long)(await station.WaitForEventAsync("received", "ClearChargingProfile"))["payload"]!["chargingProfileId"]!);
        await _upstream.CallAsync(ocppId, "ClearChargingProfile", new { chargingProfileCriteria = new { chargingProfilePurpose = "TxDefaultProfile" } });
        var criteria = (await station.WaitForEventAsync("received", "ClearChargingProfile"))["payload"]!["chargingProfileCriteria"]!;
        Assert.Equal(0, (int)criteria["stackLevel"]!);
        Assert.Equal("TxDefaultProfile", (string?)criteria["chargingProfilePurpose"]);

        // GetChargingProfiles asks for the moved id; the station's report comes back upstream with the upstream's id.
        await _upstream.CallAsync(ocppId, "GetChargingProfiles", new { requestId = 42, chargingProfile = new { chargingProfileId = new[] { 7 } } });
        var get = await station.WaitForEventAsync("received", "GetChargingProfiles");
        Assert.Equal(moved, (long)get["payload"]!["chargingProfile"]!["chargingProfileId"]![0]!);
        var report = Profile((int)moved, 0);
        await station.CallAsync("ReportChargingProfiles", new JObject
        {
            ["requestId"] = 42, ["chargingLimitSource"] = "CSO", ["evseId"] = 1, ["chargingProfile"] = new JArray(report),
        });
        var reported = await _upstream.ReceivedAsync(ocppId, "ReportChargingProfiles");
        Assert.Equal(7, (long)reported["payload"]!["chargingProfile"]![0]!["id"]!);

        station.AssertNoComplaints();
        AssertUpstreamQuiet();
    }

    [NodeFact]
    public async Task Block_keeps_the_upstreams_profiles_from_a_2_0_1_station()
    {
        await using var host = await TestHost.StartAsync(null, "--Ocpp:Proxy:ChargingProfilePolicy=Block");
        var (ocppId, station) = await StationAsync(host, "block201");
        await using var _ = station;
        await station.HandleAsync("SetChargingProfile", new { status = "Accepted" });
        await station.HandleAsync("ClearChargingProfile", new { status = "Accepted" });
        await station.HandleAsync("GetVariables", JObject.Parse("""
            {"getVariableResult":[{"attributeStatus":"Accepted","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"},"attributeValue":"777"}]}
            """));

        var set = await _upstream.CallAsync(ocppId, "SetChargingProfile", new JObject { ["evseId"] = 1, ["chargingProfile"] = Profile(5, 0) });
        Assert.Equal("Rejected", (string?)set["payload"]!["status"]);
        var clear = await _upstream.CallAsync(ocppId, "ClearChargingProfile", new { chargingProfileId = 5 });
        Assert.Equal("Unknown", (string?)clear["payload"]!["status"]);

        // Another upstream call still goes through, and the station saw none of the blocked ones before it.
        var variables = await _upstream.CallAsync(ocppId, "GetVariables",
            JObject.Parse("""{"getVariableData":[{"component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]}"""));
        Assert.True((string?)variables["event"] == "result", variables.ToString(Formatting.None));
        await station.WaitForEventAsync("received", "GetVariables");
        lock (station.Events)
            Assert.DoesNotContain(station.Events, e => (string?)e["event"] == "received" && (string?)e["action"] is "SetChargingProfile" or "ClearChargingProfile");
        station.AssertNoComplaints();
        AssertUpstreamQuiet();
    }
}
