using Cms.IntegrationTests.Harness;
using Cms.Ocpp.Tests.Support;

namespace Cms.IntegrationTests.Ocpp;

/// <summary>
/// 2.0.1 integers the schemas leave unbounded but our records hold in 32 bits (found by fuzzing): a request id or EVSE
/// id beyond that range gets a CALLERROR naming the field, not an InternalError, and the station keeps its connection.
/// </summary>
public sealed class Ocpp201RangeTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [NodeFact]
    public async Task An_id_beyond_32_bits_is_refused_naming_its_field()
    {
        var (_, _, ocppId) = await OcppKit.ChargePointAsync(fixture.Host.Admin, "range201");
        await using var station = await Ocpp201Station.ConnectAsync(fixture.Host, ocppId);
        var now = OcppKit.Ocpp(DateTimeOffset.UtcNow);

        var report = await station.SendCallAsync("NotifyReport", new { requestId = long.MaxValue, generatedAt = now, seqNo = 0 });
        Assert.Equal("PropertyConstraintViolation", (string?)report["code"]);
        Assert.Contains("requestId", (string?)report["message"]);

        var limit = await station.SendCallAsync("NotifyChargingLimit", new { evseId = long.MaxValue, chargingLimit = new { chargingLimitSource = "EMS" } });
        Assert.Equal("PropertyConstraintViolation", (string?)limit["code"]);
        Assert.Contains("evseId", (string?)limit["message"]);

        // Still connected: an in-range report is answered.
        Assert.NotNull(await station.CallAsync("NotifyReport", new { requestId = 1, generatedAt = now, seqNo = 0 }));
        station.AssertNoComplaints();
    }
}
