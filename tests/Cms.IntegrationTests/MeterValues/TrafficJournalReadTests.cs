using System.Collections.Concurrent;
using System.Globalization;
using Cms.Bench.Shared;
using Cms.Core.Storage;
using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;
using Cms.Ocpp.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.MeterValues;

/// <summary>
/// Charger traffic is committed into the traffic journals and moved into the indexed tables later (migration 041):
/// every reader sees a reading from its CALLRESULT on, the same before and after the move, and across a crash. On
/// PostgreSQL the hot writes go to the indexed tables themselves (TrafficJournal.InsertSqlFor): the same answers, no journal.
/// </summary>
public sealed class TrafficJournalReadTests
{
    /// <summary>The mover moves only at start and when the test asks.</summary>
    private static readonly string[] NoMoves = ["--Storage:JournalMoveRows=100000000", "--Storage:JournalMaxDelaySeconds=100000"];

    [NodeFact]
    public async Task A_reading_is_listed_by_every_filter_right_after_its_CALLRESULT_and_the_same_once_the_journal_moved()
    {
        await using var host = await TestHost.StartAsync(null, NoMoves);
        var api = host.Admin;
        var (networkId, cpId, ocppId) = await OcppKit.ChargePointAsync(api, "journal");
        var connector = (string)(await api.Connector(cpId, connectorId: 1, maxCapacity: 22, currentType: "AC_phase3_LN", voltage: 230))["id"]!;
        var vehicle = (string)(await api.Create("/v2/vehicles", new { name = "Van" }))["id"]!;
        await using var charger = await host.ConnectAsync($"ocpp/{ocppId}");
        await charger.CallAsync("BootNotification", new { chargePointVendor = "AmpTest", chargePointModel = "node" });
        var t0 = new DateTimeOffset(DateTimeOffset.UtcNow.Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero).AddMinutes(-2);

        await charger.CallAsync("MeterValues", new
        {
            connectorId = 1,
            meterValue = new[]
            {
                new
                {
                    timestamp = OcppKit.Ocpp(t0),
                    sampledValue = new[]
                    {
                        new { value = "7000", measurand = "Power.Active.Import", unit = "W" },
                        new { value = "1000", measurand = "Energy.Active.Import.Register", unit = "Wh" },
                    },
                },
            },
        });
        // One from a vehicle, through REST (same store path).
        Assert.Equal(201, (await api.Post("/v2/meter_values", new
        {
            chargePointId = cpId, connectorId = 1, vehicleId = vehicle,
            meterValues = new[] { new { timestamp = OcppKit.Ocpp(t0.AddSeconds(30)), sampledValue = new[] { new { measurand = "Power.Active.Import", unit = "W", value = "9000" } } } },
        })).Status);

        var window = $"start={Uri.EscapeDataString(OcppKit.Ocpp(t0))}&end={Uri.EscapeDataString(OcppKit.Ocpp(t0.AddMinutes(1)))}";
        var filters = new Dictionary<string, int>
        {
            [$"connector={connector}"] = 3, [$"chargepoint={cpId}"] = 3, [$"network={networkId}"] = 3, [$"vehicle={vehicle}"] = 1,
        };
        async Task<Dictionary<string, List<string>>> ListAll()
        {
            var seen = new Dictionary<string, List<string>>();
            foreach (var (filter, expected) in filters)
            {
                var page = await api.Get($"/v2/meter_values?{filter}&{window}");
                Assert.True(page.Status == 200, page.ToString());
                Assert.Equal(expected, page.Total);
                seen[filter] = page.Data.Select(r => (string)r["id"]!).ToList();
                Assert.Equal(expected, seen[filter].Distinct().Count());
            }
            return seen;
        }
        async Task<double?[]> Power()
        {
            var answer = await api.Get($"/v2/profiles/meter_values/power?chargepoint={cpId}&{window}&resolution=1m");
            Assert.True(answer.Status == 200, answer.ToString());
            return answer.Body["data"]!["values"]!.Select(v => (double?)v).ToArray();
        }
        async Task<List<string>> Frames()
        {
            var page = await api.Get($"/v2/ocpp_messages?chargepoint={cpId}&operationType=MeterValues");
            Assert.True(page.Status == 200, page.ToString());
            return page.Data.Select(r => $"{r["id"]} {r["messageType"]}").ToList();
        }

        // Right after the CALLRESULT: still in the journal, listed by every filter.
        var before = await ListAll();
        var powerBefore = await Power();
        Assert.Equal(8.0, powerBefore[0]); // 7 kW for the first 30 s, 9 kW for the rest of the minute
        var framesBefore = await Frames();
        Assert.Equal(["Call", "CallResult"], framesBefore.Select(f => f.Split(' ')[1]).Order());
        var db = host.Services.GetRequiredService<Database>();
        var journaled = db.Dialect.IsPostgres ? 0 : 2; // one row per meterValue element (migration 071)
        Assert.Equal(journaled, await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM meter_readings_journal")));

        Assert.True(await db.MoveJournalsAsync() >= journaled);

        Assert.Equal(0, await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM meter_readings_journal")));
        Assert.Equal(before, await ListAll());
        Assert.Equal(powerBefore, await Power());
        Assert.Equal(framesBefore, await Frames());
    }

    [Fact]
    public async Task Readings_a_killed_host_left_in_the_journal_are_listed_once_after_the_restart_and_moved_by_it()
    {
        await using var db = await TestStore.CreateAsync();
        var acknowledged = new ConcurrentBag<long>();
        string cp;
        await using (var first = await HostProcess.StartAsync(db.Directory, [.. db.Args, .. NoMoves]))
        {
            using var admin = new ApiClient(first.Address, HostProcess.Token);
            var network = await admin.Create("/v2/networks/", new { name = "journal", maxCapacity = 100 });
            const string ocppId = "JOURNAL-1";
            cp = (string)(await admin.Create("/v2/charge_points/", new { name = ocppId, maxCapacity = 22, networkId = (string)network["id"]!, ocppId }))["id"]!;
            await admin.Create("/v2/connectors/", new { chargePointId = cp, connectorId = 1, maxCapacity = 22, currentType = "AC_phase3_LN", voltage = 230 });
            // Through REST, which commits into the journal before it answers (a charger's readings that the cache can
            // place are acknowledged earlier, from the ack log: CrashRecoveryTests, AckLogRecoveryTests).
            for (long wh = 1; wh <= 50; wh++)
            {
                await admin.Create("/v2/meter_values", new
                {
                    chargePointId = cp, connectorId = 1,
                    meterValues = new[] { new { timestamp = Now(), sampledValue = new[] { new { value = wh, measurand = "Energy.Active.Import.Register", unit = "Wh" } } } },
                });
                acknowledged.Add(wh);
            }
            first.Kill();
        }
        await using (var store = db.Open())
            Assert.Equal(TestStore.OnPostgres ? 0 : 50, await store.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM meter_readings_journal")));

        await using var second = await HostProcess.StartAsync(db.Directory, db.Args);
        using var secondAdmin = new ApiClient(second.Address, HostProcess.Token);
        async Task<List<long>> Stored()
        {
            var page = await secondAdmin.Get($"/v2/meter_values?chargepoint={cp}&start=2000-01-01T00:00:00Z&end=2100-01-01T00:00:00Z&limit=1000");
            Assert.True(page.Status == 200, page.ToString());
            return page.Data.Select(r => (long)(double)r["value"]!).Order().ToList();
        }
        Assert.Equal(acknowledged.Order(), await Stored());
        // The restarted host moves what the killed one left (at its start), without losing or doubling a row.
        await using (var store = db.Open())
            await OcppKit.EventuallyAsync(() => store.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM meter_readings_journal")),
                rows => rows == 0, "journal moved after the restart", TimeSpan.FromSeconds(60));
        Assert.Equal(acknowledged.Order(), await Stored());
    }

    private static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
