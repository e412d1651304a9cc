using Cms.IntegrationTests.Harness;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Ocpp;

/// <summary>
/// A 1.6 charger whose clock is wrong (unset, a time zone sent as UTC, a fuzzed year 9999) still gets a session for
/// every transactionId it is given, on the CSMS's timeline: ocppTransactionStart/Stop keep the charger's words, while
/// sessionStart/sessionEnd never lie after the moment the CSMS heard of them, and a StopTransaction is always taken.
/// </summary>
public sealed class ChargerClockTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    /// <summary>The latest time OCPP 1.6's date-time allows: 9999-12-31T09:59:59.999Z (found by fuzz seed 1936517486).</summary>
    private const string LastInstant = "9999-12-31T23:59:59.999+14:00";
    private TestHost Host => fixture.Host;
    private ApiClient Api => fixture.Host.Admin;

    [NodeFact]
    public async Task A_start_stamped_in_the_future_opens_a_session_now_that_the_next_start_and_a_stop_can_close()
    {
        var (networkId, cpId, ocppId) = await OcppKit.ChargePointAsync(Api, "clock");
        await using var charger = await Host.ConnectAsync($"ocpp/{ocppId}");
        await charger.BootAsync();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        // The fuzzed case: a start stamped in year 9999, then the next start on the connector closes its session.
        var future = (long)(await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "CLOCK-A", meterStart = 100, timestamp = LastInstant }))["transactionId"]!;
        var futureSession = await Session(future);
        Assert.Equal("9999-12-31T09:59:59.999000+00:00", (string?)futureSession["ocppTransactionStart"]);
        Assert.InRange(OcppKit.Time(futureSession["sessionStart"]), before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.True((bool)futureSession["active"]!);
        Assert.InRange((long)futureSession["chargingDuration"]!, 0, 60);

        // A resend of the same start (its answer was lost) is the same transaction, not a second session.
        Assert.Equal(future, (long)(await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "CLOCK-A", meterStart = 100, timestamp = LastInstant }))["transactionId"]!);

        var next = (long)(await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "CLOCK-B", meterStart = 200, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) }))["transactionId"]!;
        var closed = await Session(future);
        Assert.False((bool)closed["active"]!);
        Assert.InRange(OcppKit.Time(closed["sessionEnd"]), before, DateTimeOffset.UtcNow.AddSeconds(1));

        // Both sessions are where a list of this week finds them.
        var week = await Api.Get($"/v2/charging_sessions?network={networkId}&chargepoint={cpId}" +
            $"&start={Uri.EscapeDataString(OcppKit.Ocpp(before.AddDays(-3)))}&end={Uri.EscapeDataString(OcppKit.Ocpp(before.AddDays(3)))}");
        Assert.Equal(new[] { future, next }.Order(), week.Data.Select(s => (long)s["transactionId"]!).Order());

        // The charger's clock jumps back to the right time: its StopTransaction is taken and ends the session now.
        var stop = await charger.SendCallAsync("StopTransaction", new { transactionId = next, meterStop = 300, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow.AddMinutes(-5)) });
        Assert.Equal("result", (string?)stop["event"]);
        var stopped = await Session(next);
        Assert.False((bool)stopped["active"]!);
        Assert.Equal(0.3, (double)stopped["meterStop"]!);
        Assert.True(OcppKit.Time(stopped["sessionEnd"]) >= OcppKit.Time(stopped["sessionStart"]));
        charger.AssertNoComplaints();
    }

    [NodeFact]
    public async Task A_stop_stamped_before_its_start_or_in_the_future_is_taken_and_ends_the_session_between_its_start_and_now()
    {
        var (_, _, ocppId) = await OcppKit.ChargePointAsync(Api, "clock");
        await using var charger = await Host.ConnectAsync($"ocpp/{ocppId}", protocol: "ocpp1.6");
        await charger.BootAsync(connectors: 2);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        // Stamped before its start (the clock was set back between the two): a CALLERROR would have it resend forever.
        var early = (long)(await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "CLOCK-C", meterStart = 0, timestamp = OcppKit.Ocpp(before) }))["transactionId"]!;
        await charger.CallAsync("StopTransaction", new { transactionId = early, meterStop = 10, timestamp = "2001-01-01T00:00:00.000Z" });
        var earlySession = await Session(early);
        Assert.Equal("2001-01-01T00:00:00.000000+00:00", (string?)earlySession["ocppTransactionStop"]);
        Assert.Equal((string?)earlySession["sessionStart"], (string?)earlySession["sessionEnd"]);

        // Stamped in year 9999: the session ends when the CSMS heard of it, not in 7973 years.
        var late = (long)(await charger.CallAsync("StartTransaction", new { connectorId = 2, idTag = "CLOCK-D", meterStart = 0, timestamp = OcppKit.Ocpp(before) }))["transactionId"]!;
        await charger.CallAsync("StopTransaction", new { transactionId = late, meterStop = 10, timestamp = LastInstant });
        var lateSession = await Session(late);
        Assert.Equal("9999-12-31T09:59:59.999000+00:00", (string?)lateSession["ocppTransactionStop"]);
        Assert.InRange(OcppKit.Time(lateSession["sessionEnd"]), before, DateTimeOffset.UtcNow.AddSeconds(1));
        charger.AssertNoComplaints();
    }

    [NodeFact]
    public async Task A_2_0_1_transaction_stamped_in_the_future_starts_now_and_its_end_is_not_after_now()
    {
        var (_, _, ocppId) = await OcppKit.ChargePointAsync(Api, "clock201");
        await using var station = await Ocpp201Station.ConnectAsync(Host, ocppId);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var tx = "CLK-" + Guid.NewGuid().ToString("N")[..10];

        await station.TransactionEventAsync("Started", tx, 0, "CablePluggedIn", "Charging", at: DateTimeOffset.MaxValue);
        var started = await Session($"stationTransactionId={tx}");
        Assert.Equal("9999-12-31T23:59:59.999000+00:00", (string?)started["ocppTransactionStart"]);
        Assert.InRange(OcppKit.Time(started["sessionStart"]), before, DateTimeOffset.UtcNow.AddSeconds(1));

        var endedAt = DateTimeOffset.UtcNow.AddMinutes(-5); // before the start we recorded: the station's clock went back
        await station.TransactionEventAsync("Ended", tx, 1, "EVCommunicationLost", "Idle", stoppedReason: "EVDisconnected", at: endedAt);
        var ended = await Session($"stationTransactionId={tx}");
        Assert.Equal(OcppKit.Ocpp(endedAt), OcppKit.Ocpp(OcppKit.Time(ended["ocppTransactionStop"])));
        Assert.Equal((string?)ended["sessionStart"], (string?)ended["sessionEnd"]);
        Assert.False((bool)ended["active"]!);
        station.AssertNoComplaints();
    }

    private Task<JObject> Session(long transactionId) => Session($"transaction_id={transactionId}");

    /// <summary>The one session the filter names, open or ended, wherever its times lie.</summary>
    private async Task<JObject> Session(string filter)
    {
        var found = await Api.Get($"/v2/charging_sessions?{filter}&start=0001-01-01T00:00:00Z&end=9999-12-31T23:59:59.999999Z");
        Assert.True(found.Status == 200 && found.Total == 1, $"session of {filter}: {found}");
        return found.First;
    }
}
