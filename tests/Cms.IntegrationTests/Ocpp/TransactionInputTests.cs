using Cms.IntegrationTests.Harness;
using Cms.Ocpp.Tests.Support;

namespace Cms.IntegrationTests.Ocpp;

/// <summary>
/// Schema-valid 1.6 transaction calls the schema cannot rule out (found by fuzzing): a StartTransaction on connector 0
/// or on a number no connector has gets a CALLERROR naming connectorId, not an InternalError; a StopTransaction naming
/// a transactionId beyond 64 bits is acknowledged like any unknown transaction; a StatusNotification or MeterValues on a
/// connector number beyond 32 bits or below 0, or MeterValues naming a transactionId beyond 64 bits, get a CALLERROR
/// naming the field. The charger keeps its connection.
/// </summary>
public sealed class TransactionInputTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TestHost Host => fixture.Host;
    private ApiClient Api => fixture.Host.Admin;

    [NodeFact]
    public async Task Numbers_no_connector_or_transaction_can_carry_get_a_CALLERROR_naming_the_field_and_a_stop_beyond_64_bits_is_acknowledged()
    {
        var (networkId, cpId, ocppId) = await OcppKit.ChargePointAsync(Api, "txinput");
        await Api.Create("/v2/id_tags/", new { value = "TXIN-OK", group = "RFID" });
        await using var charger = await Host.ConnectAsync($"ocpp/{ocppId}");
        await charger.BootAsync();
        var now = OcppKit.Ocpp(DateTimeOffset.UtcNow);

        foreach (var connectorId in new[] { 0L, -1L, 1L << 40 })
        {
            var refused = await charger.SendCallAsync("StartTransaction", new { connectorId, idTag = "TXIN-OK", meterStart = 0, timestamp = now });
            Assert.Equal("error", (string?)refused["event"]);
            Assert.Equal("PropertyConstraintViolation", (string?)refused["code"]);
            Assert.Contains("connectorId", (string?)refused["message"]);
        }
        Assert.Equal(0, (await Api.Get($"/v2/charging_sessions?network={networkId}&chargepoint={cpId}")).Total);

        var stop = await charger.CallAsync("StopTransaction", new { transactionId = 1e19, idTag = "TXIN-OK", meterStop = 10, timestamp = now });
        Assert.Equal("Accepted", (string?)stop["idTagInfo"]!["status"]);
        Assert.Empty(await charger.CallAsync("StopTransaction", new { transactionId = -1e19, meterStop = 10, timestamp = now }));

        foreach (var connectorId in new[] { -1L, 1L << 40 })
        {
            var status = await charger.SendCallAsync("StatusNotification", new { connectorId, errorCode = "NoError", status = "Available" });
            Assert.Equal("PropertyConstraintViolation", (string?)status["code"]);
            Assert.Contains("connectorId", (string?)status["message"]);
            var meter = await charger.SendCallAsync("MeterValues", new { connectorId, meterValue = Reading(now) });
            Assert.Equal("PropertyConstraintViolation", (string?)meter["code"]);
            Assert.Contains("connectorId", (string?)meter["message"]);
        }
        var unknown = await charger.SendCallAsync("MeterValues", new { connectorId = 1, transactionId = 1e19, meterValue = Reading(now) });
        Assert.Equal("PropertyConstraintViolation", (string?)unknown["code"]);
        Assert.Contains("transactionId", (string?)unknown["message"]);
        Assert.Equal(0, (await Api.Get($"/v2/meter_values?chargepoint={cpId}&start=2000-01-01T00:00:00Z&end=2100-01-01T00:00:00Z")).Total);

        // Still connected, and a start on a real connector is a session.
        var transactionId = (long)(await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "TXIN-OK", meterStart = 0, timestamp = now }))["transactionId"]!;
        var sessions = await Api.Get($"/v2/charging_sessions?transaction_id={transactionId}");
        Assert.Equal(1, sessions.Total);
        charger.AssertNoComplaints();
    }

    private static object[] Reading(string timestamp) =>
        [new { timestamp, sampledValue = new[] { new { value = "1000", measurand = "Power.Active.Import", unit = "W" } } }];
}
