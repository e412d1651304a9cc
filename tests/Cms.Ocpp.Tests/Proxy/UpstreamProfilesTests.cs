using Cms.Ocpp.Proxy;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Tests.Proxy;

public sealed class UpstreamProfilesTests
{
    const long Moved = 7 + UpstreamProfiles.Offset;

    static UpstreamProfiles.Outcome ForCharger(OcppVersion version, string action, string payload, int ceiling = 0) =>
        UpstreamProfiles.ForCharger(version, action, JObject.Parse(payload), ceiling);

    [Fact]
    public void Upstream_ids_land_above_every_id_AmpCMS_uses_and_come_back_unchanged()
    {
        Assert.Equal(1_000_000_001, UpstreamProfiles.ToCharger(0));
        Assert.Equal(int.MaxValue, UpstreamProfiles.ToCharger(UpstreamProfiles.MaxUpstreamId));
        Assert.Null(UpstreamProfiles.ToCharger(UpstreamProfiles.MaxUpstreamId + 1));
        Assert.Null(UpstreamProfiles.ToCharger(-1));
        Assert.Equal(7, UpstreamProfiles.ToUpstream(Moved));
        Assert.Equal(1_000_000_000, UpstreamProfiles.ToUpstream(1_000_000_000)); // AmpCMS's own highest id stays as it is
    }

    [Fact]
    public void A_1_6_SetChargingProfile_gets_the_moved_id_and_the_capped_stack_level()
    {
        var outcome = ForCharger(OcppVersion.Ocpp16, "SetChargingProfile",
            """{"connectorId":1,"csChargingProfiles":{"chargingProfileId":7,"stackLevel":5,"chargingProfilePurpose":"TxDefaultProfile"}}""", ceiling: 1);
        Assert.False(outcome.Refused);
        Assert.Equal(Moved, (long)outcome.Rewritten!["csChargingProfiles"]!["chargingProfileId"]!);
        Assert.Equal(1, (int)outcome.Rewritten["csChargingProfiles"]!["stackLevel"]!);
    }

    [Fact]
    public void An_id_that_cannot_be_moved_is_refused()
    {
        Assert.True(ForCharger(OcppVersion.Ocpp16, "SetChargingProfile", """{"connectorId":1,"csChargingProfiles":{"chargingProfileId":2000000000,"stackLevel":0}}""").Refused);
        Assert.True(ForCharger(OcppVersion.Ocpp201, "ClearChargingProfile", """{"chargingProfileId":-3}""").Refused);
    }

    [Fact]
    public void Clearing_by_id_or_by_criteria_never_reaches_AmpCMSs_profiles()
    {
        Assert.Equal(Moved, (long)ForCharger(OcppVersion.Ocpp16, "ClearChargingProfile", """{"id":7}""").Rewritten!["id"]!);
        Assert.Equal(0, (int)ForCharger(OcppVersion.Ocpp16, "ClearChargingProfile", """{"connectorId":1}""").Rewritten!["stackLevel"]!);
        Assert.Equal(0, (int)ForCharger(OcppVersion.Ocpp201, "ClearChargingProfile", """{}""").Rewritten!["chargingProfileCriteria"]!["stackLevel"]!);
        Assert.Equal(0, (int)ForCharger(OcppVersion.Ocpp201, "ClearChargingProfile",
            """{"chargingProfileCriteria":{"stackLevel":4}}""").Rewritten!["chargingProfileCriteria"]!["stackLevel"]!);
    }

    [Fact]
    public void Remote_starts_with_a_profile_are_moved_too_and_other_calls_pass_unchanged()
    {
        var start = ForCharger(OcppVersion.Ocpp201, "RequestStartTransaction",
            """{"remoteStartId":1,"idToken":{"idToken":"A","type":"ISO14443"},"chargingProfile":{"id":7,"stackLevel":9}}""");
        Assert.Equal(Moved, (long)start.Rewritten!["chargingProfile"]!["id"]!);
        var unchanged = ForCharger(OcppVersion.Ocpp16, "GetConfiguration", """{"key":["HeartbeatInterval"]}""");
        Assert.Null(unchanged.Rewritten);
        Assert.False(unchanged.Refused);
    }

    [Fact]
    public void A_report_goes_back_upstream_with_the_upstreams_ids_and_AmpCMSs_as_they_are()
    {
        var report = JObject.Parse($$"""{"requestId":1,"chargingLimitSource":"CSO","evseId":1,"chargingProfile":[{"id":{{Moved}}},{"id":42}]}""");
        var back = UpstreamProfiles.ForUpstream("ReportChargingProfiles", report)!;
        Assert.Equal([7L, 42L], back["chargingProfile"]!.Select(p => (long)p["id"]!));
        Assert.Null(UpstreamProfiles.ForUpstream("ReportChargingProfiles", JObject.Parse("""{"chargingProfile":[{"id":42}]}""")));
    }
}
