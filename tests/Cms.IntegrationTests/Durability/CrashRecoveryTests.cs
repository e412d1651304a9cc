using System.Collections.Concurrent;
using System.Globalization;
using Cms.Bench.Shared;
using Cms.Core.Storage;
using Cms.IntegrationTests.Harness;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Durability;

/// <summary>Acknowledged means durable: a host killed with SIGKILL under meter-value load loses nothing it acknowledged.</summary>
public class CrashRecoveryTests
{
    private const int Chargers = 4;

    [Fact]
    public async Task A_host_killed_under_meter_value_load_keeps_every_acknowledged_reading_the_session_and_the_transaction_ids()
    {
        await using var db = await TestStore.CreateAsync();
        var ids = Enumerable.Range(0, Chargers).Select(i => $"CRASH-{Guid.NewGuid().ToString("N")[..6]}-{i}").ToArray();
        var acknowledged = new ConcurrentDictionary<string, ConcurrentBag<long>>(); // ocppId → energy registers (Wh) acknowledged
        var transactions = new ConcurrentDictionary<string, long>();
        var chargePoints = new Dictionary<string, string>();

        // The host as a process of its own, so it can be killed with SIGKILL and started again on the same store.
        await using (var first = await HostProcess.StartAsync(db.Directory, db.Args))
        {
            using var admin = new ApiClient(first.Address, HostProcess.Token);
            var network = await admin.Create("/v2/networks/", new { name = "crash", maxCapacity = 100 });
            foreach (var ocppId in ids)
            {
                var cp = await admin.Create("/v2/charge_points/", new { name = ocppId, maxCapacity = 22, networkId = (string)network["id"]!, ocppId });
                await admin.Create("/v2/connectors/", new { chargePointId = (string)cp["id"]!, connectorId = 1, maxCapacity = 22, currentType = "AC_phase3_LN", voltage = 230 });
                chargePoints[ocppId] = (string)cp["id"]!;
            }
            var clients = new List<WsClient>();
            foreach (var ocppId in ids)
            {
                var ws = await WsClient.ConnectAsync(new Uri(first.WebSocketBase, "ocpp/" + ocppId), ["ocpp1.6"]);
                clients.Add(ws);
                Assert.Equal(3, (int)(await ws.CallAsync("b", "BootNotification", """{"chargePointVendor":"V","chargePointModel":"M"}"""))[0]);
                var started = await ws.CallAsync("s", "StartTransaction", $$"""{"connectorId":1,"idTag":"CRASH","meterStart":0,"timestamp":"{{Now()}}"}""");
                transactions[ocppId] = (long)started[2]["transactionId"]!;
                acknowledged[ocppId] = [];
            }

            // Every charger sends readings back to back; the host is killed while they are in flight.
            using var enough = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var total = 0;
            var load = clients.Select((ws, i) => Task.Run(async () =>
            {
                for (long wh = 1; ; wh++)
                {
                    JArray answer;
                    try
                    {
                        answer = await ws.CallAsync($"m{wh}", "MeterValues",
                            $$"""{"connectorId":1,"transactionId":{{transactions[ids[i]]}},"meterValue":[{"timestamp":"{{Now()}}","sampledValue":[{"value":"{{wh}}","measurand":"Energy.Active.Import.Register","unit":"Wh"}]}]}""");
                    }
                    catch (Exception) { return; } // the host is gone
                    if ((int)answer[0] != 3) return;
                    acknowledged[ids[i]].Add(wh);
                    Interlocked.Increment(ref total);
                }
            })).ToList();
            while (Volatile.Read(ref total) < 400 && !enough.IsCancellationRequested) await Task.Delay(20);
            first.Kill();
            await Task.WhenAll(load).WaitAsync(TimeSpan.FromSeconds(60));
            foreach (var ws in clients) ws.Socket.Abort();
            Assert.True(total >= 400, $"only {total} readings acknowledged before the kill");
        }
        // On SQLite the readings were acknowledged from the ack log, before their commit (DeferredReadings): the restart
        // below has to commit what the killed host had not.
        if (!TestStore.OnPostgres)
            using (var acks = AckLog.TryOpen(db.DatabasePath)!)
                Assert.True(acks.ReadAll().Count > 0, "no reading went through the ack log");

        await using var second = await HostProcess.StartAsync(db.Directory, db.Args);
        using var secondAdmin = new ApiClient(second.Address, HostProcess.Token);
        long highest = 0;
        foreach (var ocppId in ids)
        {
            var cp = chargePoints[ocppId];
            var stored = new HashSet<long>();
            for (var offset = 0; ; offset += 1000)
            {
                var page = await secondAdmin.Get($"/v2/meter_values?chargepoint={cp}&start=2000-01-01T00:00:00Z&end=2100-01-01T00:00:00Z&limit=1000&offset={offset}");
                Assert.Equal(200, page.Status);
                foreach (var row in page.Data) stored.Add((long)(double)row["value"]!);
                if (page.Data.Count < 1000) break;
            }
            var missing = acknowledged[ocppId].Where(wh => !stored.Contains(wh)).ToList();
            Assert.True(missing.Count == 0, $"{ocppId}: {missing.Count} acknowledged readings lost, e.g. {string.Join(", ", missing.Take(5))}");

            var session = await secondAdmin.Get($"/v2/charging_sessions?transaction_id={transactions[ocppId]}");
            Assert.Equal(200, session.Status);
            Assert.Equal(cp, (string?)session.First["chargePointId"]);
            // The session absorbed at least every acknowledged reading (a reading committed but not yet answered may be in too).
            var energy = (double)session.First["energyConsumption"]!;
            Assert.True(energy >= acknowledged[ocppId].Max() / 1000.0 - 1e-9, $"{ocppId}: energyConsumption {energy} kWh misses acknowledged readings");
            Assert.Null((string?)session.First["sessionEnd"]);
            highest = Math.Max(highest, transactions[ocppId]);
        }

        // A charger starting now gets a transaction id never handed out before the crash.
        await using var again = await WsClient.ConnectAsync(new Uri(second.WebSocketBase, "ocpp/" + ids[0]), ["ocpp1.6"]);
        var next = await again.CallAsync("s2", "StartTransaction", $$"""{"connectorId":1,"idTag":"CRASH","meterStart":0,"timestamp":"{{Now()}}"}""");
        Assert.True((long)next[2]["transactionId"]! > highest, $"transactionId {next[2]["transactionId"]} is not above {highest}");
    }

    private static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
