using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.MeterValues;

/// <summary>
/// Readings acknowledged from the ack log are committed a second later, many chargers' in one flush, grouped by charge
/// point: each reading lands with its own connector, session and transaction, and each session's energy adds up, when one
/// charger's connectors take turns and several chargers share the flush.
/// </summary>
public sealed class DeferredFlushTests
{
    private const int Rounds = 12;

    [Fact]
    public async Task Readings_of_interleaved_connectors_and_chargers_in_one_flush_keep_their_own_connector_session_and_transaction()
    {
        await using var host = await TestHost.StartAsync();
        var api = host.Admin;
        var from = Uri.EscapeDataString(OcppKit.Ocpp(DateTimeOffset.UtcNow.AddMinutes(-1)));
        var network = (string)(await api.Create("/v2/networks/", new { name = "flush", maxCapacity = 200 }))["id"]!;
        // Charger A has two connectors, B and C one each (B's id sorts before A's, so the flush's order is not arrival order).
        var plan = new[] { ("FLUSH-B", 1), ("FLUSH-A", 2), ("FLUSH-C", 1) };
        var slots = new List<(WsClient Ws, string ChargePointId, string ConnectorId, int Number, long Tx, int Wh)>();
        var clients = new List<WsClient>();
        foreach (var (prefix, connectors) in plan)
        {
            var ocppId = OcppKit.NewOcppId(prefix);
            var cp = (string)(await api.Create("/v2/charge_points/", new { name = ocppId, maxCapacity = 44, networkId = network, ocppId }))["id"]!;
            var connectorIds = new List<string>();
            for (var n = 1; n <= connectors; n++)
                connectorIds.Add((string)(await api.Connector(cp, connectorId: n, maxCapacity: 22, currentType: "AC_phase3_LN", voltage: 230))["id"]!);
            var ws = await WsClient.ConnectAsync(host.OcppUri($"ocpp/{ocppId}"), ["ocpp1.6"]);
            clients.Add(ws);
            Assert.Equal(3, (int)(await ws.CallAsync("b", "BootNotification", """{"chargePointVendor":"V","chargePointModel":"M"}"""))[0]);
            for (var n = 1; n <= connectors; n++)
            {
                var started = await ws.CallAsync($"s{n}", "StartTransaction", $$"""{"connectorId":{{n}},"idTag":"FLUSH","meterStart":0,"timestamp":"{{Now()}}"}""");
                // Each connector's own step per reading, so a reading stored under another connector shows in the sums.
                slots.Add((ws, cp, connectorIds[n - 1], n, (long)started[2]["transactionId"]!, 10 * (slots.Count + 1)));
            }
        }

        // Round by round, every connector sends one reading: A's two connectors alternate, the chargers interleave.
        for (var round = 1; round <= Rounds; round++)
            foreach (var (ws, _, _, number, tx, wh) in slots)
            {
                var answer = await ws.CallAsync($"m{round}-{number}", "MeterValues",
                    $$"""{"connectorId":{{number}},"transactionId":{{tx}},"meterValue":[{"timestamp":"{{Now()}}","sampledValue":[{"value":"{{round * wh}}","measurand":"Energy.Active.Import.Register","unit":"Wh"}]}]}""");
                Assert.Equal(3, (int)answer[0]);
            }

        foreach (var (_, chargePointId, connectorId, number, tx, wh) in slots)
        {
            var sessions = await api.Get($"/v2/charging_sessions?transaction_id={tx}&network={network}");
            Assert.True(sessions.Status == 200 && sessions.Total == 1, sessions.ToString());
            var session = sessions.First;
            Assert.Equal(connectorId, (string?)session["connectorId"]);
            var to = Uri.EscapeDataString(OcppKit.Ocpp(DateTimeOffset.UtcNow.AddMinutes(1)));
            var page = await api.Get($"/v2/meter_values?connector={connectorId}&start={from}&end={to}&limit=100");
            Assert.True(page.Status == 200, page.ToString());
            Assert.Equal(Rounds, page.Total);
            Assert.All(page.Data, row =>
            {
                Assert.Equal(chargePointId, (string?)row["chargePointId"]);
                Assert.Equal(connectorId, (string?)row["connector"]);
                Assert.Equal(number, (int)row["connectorId"]!);
                Assert.Equal((string?)session["id"], (string?)row["chargingSessionId"]);
                Assert.Equal(tx, (long)row["transactionId"]!);
                Assert.Equal(network, (string?)row["networkId"]);
            });
            Assert.Equal(Enumerable.Range(1, Rounds).Select(k => (double)(k * wh)).Order(), page.Data.Select(r => (double)r["value"]!).Order());
            var stored = await api.GetOne($"/v2/charging_sessions/{session["id"]}");
            Assert.Equal(Rounds * wh / 1000.0, (double)stored["energyConsumption"]!, 6);
        }
        foreach (var ws in clients) await ws.DisposeAsync();
    }

    private static string Now() => OcppKit.Ocpp(DateTimeOffset.UtcNow);
}
