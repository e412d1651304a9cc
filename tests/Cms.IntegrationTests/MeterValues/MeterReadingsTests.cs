using System.Globalization;
using Cms.Core.Domain.MeterValues;
using Cms.Core.Storage;
using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;
using Cms.Ocpp.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.MeterValues;

/// <summary>
/// Meter values are stored one row per meterValue element since migration 071 (meter_readings, samples as JSON) and
/// listed per sample as before: each sample with its own id, in order; per-sample rows stored before the upgrade
/// (meter_values and its old journal) read back unchanged, sorted, paged and filtered together with new readings.
/// </summary>
public sealed class MeterReadingsTests
{
    /// <summary>The mover moves only when the test asks.</summary>
    private static readonly string[] NoMoves = ["--Storage:JournalMoveRows=100000000", "--Storage:JournalMaxDelaySeconds=100000"];

    private static readonly string[] SampleMeasurands =
        ["Voltage", "Current.Import", "Power.Active.Import", "Energy.Active.Import.Register", "SoC", "Frequency", "Temperature", "Power.Factor"];

    /// <summary>Values whose text a store could easily get wrong (float rounding, exponents, integers).</summary>
    private static readonly double[] Awkward = [0.1, 230.45, -0.5, 56790, 1234567.891, 0.30000000000000004, 1e-7, 98765.4321, 1.7976931348623157e308];

    private static (string Measurand, string? Phase, string Value) SampleOf(int element, int k) => (
        SampleMeasurands[(element + k) % SampleMeasurands.Length],
        k % 3 == 0 ? null : Measurands.Phases[k % Measurands.Phases.Length],
        (Awkward[k % Awkward.Length] + (Awkward[k % Awkward.Length] > 1e300 ? 0 : k)).ToString("R", CultureInfo.InvariantCulture));

    [NodeFact]
    public async Task A_charger_s_meterValue_elements_are_one_row_each_and_every_sample_reads_back_in_order_with_its_own_id()
    {
        await using var host = await TestHost.StartAsync(null, NoMoves);
        var api = host.Admin;
        var (_, cpId, ocppId) = await OcppKit.ChargePointAsync(api, "readings");
        var connector = (string)(await api.Connector(cpId, connectorId: 1, maxCapacity: 22, currentType: "AC_phase3_LN", voltage: 230))["id"]!;
        await using var charger = await host.ConnectAsync($"ocpp/{ocppId}");
        await charger.CallAsync("BootNotification", new { chargePointVendor = "AmpTest", chargePointModel = "node" });
        var t0 = new DateTimeOffset(2031, 5, 1, 10, 0, 0, TimeSpan.Zero);
        int[] sizes = [MeterValuesRequest.MaxSamples, 12, 1];

        await charger.CallAsync("MeterValues", new
        {
            connectorId = 1,
            meterValue = sizes.Select((n, e) => new
            {
                timestamp = OcppKit.Ocpp(t0.AddSeconds(10 * e)),
                // Optional fields left out, not null (the charger's strict schema).
                sampledValue = Enumerable.Range(0, n).Select(k => SampleOf(e, k)).Select(s => s.Phase is null
                    ? new JObject { ["value"] = s.Value, ["measurand"] = s.Measurand }
                    : new JObject { ["value"] = s.Value, ["measurand"] = s.Measurand, ["phase"] = s.Phase }).ToArray(),
            }).ToArray(),
        });

        var window = "start=2031-05-01T00:00:00Z&end=2031-05-02T00:00:00Z";
        var listed = await api.Get($"/v2/meter_values?connector={connector}&{window}&limit=1000");
        Assert.True(listed.Status == 200, listed.ToString());
        var rows = listed.Data.Cast<JObject>().ToList();
        Assert.Equal(sizes.Sum(), listed.Total);
        var i = 0;
        for (var e = 0; e < sizes.Length; e++)
            for (var k = 0; k < sizes[e]; k++, i++)
            {
                var (measurand, phase, value) = SampleOf(e, k);
                var row = rows[i];
                Assert.Equal(t0.AddSeconds(10 * e), OcppKit.Time(row["timestamp"]));
                Assert.Equal(measurand, (string?)row["measurand"]);
                Assert.Equal(phase, (string?)row["phase"]);
                Assert.Equal(Measurands.Units[measurand].FirstOrDefault(), (string?)row["unit"]);
                Assert.Equal(double.Parse(value, CultureInfo.InvariantCulture), (double)row["value"]!);
                Assert.Equal(("Sample.Periodic", "Raw", "Outlet"), ((string?)row["context"], (string?)row["format"], (string?)row["location"]));
                Assert.Equal((cpId, connector, 1), ((string?)row["chargePointId"], (string?)row["connector"], (int)row["connectorId"]!));
            }
        var ids = rows.Select(r => (string)r["id"]!).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(Guid.TryParse(id, out _), id));

        // One row per element, whatever its samples.
        var db = host.Services.GetRequiredService<Database>();
        Assert.Equal(sizes.Length, await ReadingRowsAsync(db));

        // A page in the middle of an element, and the same answers once the journal moved.
        var page = await api.Get($"/v2/meter_values?connector={connector}&{window}&limit=7&offset=45");
        Assert.Equal(ids.Skip(45).Take(7), page.Data.Select(r => (string)r["id"]!));
        await db.MoveJournalsAsync();
        Assert.Equal(rows.Select(r => r.ToString()), (await api.Get($"/v2/meter_values?connector={connector}&{window}&limit=1000")).Data.Select(r => r.ToString()));
    }

    [Fact]
    public async Task An_element_of_more_than_256_samples_is_stored_as_several_readings_and_read_back_whole()
    {
        await using var host = await TestHost.StartAsync(null, NoMoves);
        var site = await Site.CreateAsync(host.Admin);
        var db = host.Services.GetRequiredService<Database>();
        var customerId = await db.ReadAsync(c => c.ExecuteScalarAsync<string>(
            "SELECT customerId FROM charge_points WHERE id = @id", new { id = site.ChargePointId }));
        var at = new DateTimeOffset(2021, 7, 10, 10, 0, 0, TimeSpan.Zero);
        // More than REST and chargers may send in one element (MaxSamples): the store takes any number.
        var samples = Enumerable.Range(0, 600).Select(k => new Sample(k + 0.25, "Voltage", null, "V", "Sample.Periodic", "Raw", "Outlet")).ToList();
        await host.Services.GetRequiredService<MeterValueService>().RecordAsync(customerId!,
            new MeterValuesRequest(site.ChargePointId, "1", null, null, [new MeterValue(at, samples)]));

        var listed = await host.Admin.Get($"/v2/meter_values?chargepoint={site.ChargePointId}&start=2021-01-01T00:00:00Z&end=2022-01-01T00:00:00Z&limit=1000");
        Assert.Equal(600, listed.Total);
        Assert.Equal(samples.Select(s => s.Value), listed.Data.Select(r => (double)r["value"]!));
        Assert.Equal(600, listed.Data.Select(r => (string)r["id"]!).Distinct().Count());
        Assert.Equal(3, await ReadingRowsAsync(db)); // 256 + 256 + 88
    }

    [Fact]
    public async Task Per_sample_rows_of_the_old_journal_and_table_read_back_unchanged_after_the_upgrade()
    {
        await using var store = await TestStore.CreateEmptyAsync();
        await using var db = store.Open();
        await Migrations.ApplyAsync(db, before: "071");
        await db.WriteAsync((c, tx) => c.ExecuteAsync(
            "INSERT INTO customers (id, created, updated, name, \"shortName\") VALUES ('c', 'x', 'x', 'c', 'c')", transaction: tx));
        // Journal rows of charge points a and b; a move was cut short after its first part (a's rows up to seq 4 copied).
        var journal = Enumerable.Range(1, 6).Select(seq => OldRow(seq, seq % 2 == 1 ? "a" : "b")).ToList();
        var indexed = new[] { OldRow(10, "a"), OldRow(11, "b") }.Concat(journal.Where(r => r.Seq <= 4 && r.Cp == "a")).ToList();
        await db.WriteAsync(async (c, tx) =>
        {
            foreach (var r in indexed) await c.ExecuteAsync(InsertOld("meter_values"), r.Row, tx);
            foreach (var r in journal) await c.ExecuteAsync(InsertOld("meter_values_journal", seq: true), r.Row, tx);
            return await c.ExecuteAsync("INSERT INTO journal_moves (\"journal\", \"movedTo\", \"movedBelow\") VALUES ('meter_values_journal', 4, 'b')", transaction: tx);
        });
        const string all = "SELECT * FROM meter_values_all ORDER BY \"timestamp\", id";
        var before = await ReadAllAsync(db, all);
        Assert.Equal(8, before.Count);

        await db.MigrateAsync();

        Assert.Equal(before, await ReadAllAsync(db, all));
        Assert.Equal(before, await ReadAllAsync(db, "SELECT * FROM meter_values ORDER BY \"timestamp\", id"));
        Assert.Equal(0, await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM journal_moves")));
        await Assert.ThrowsAnyAsync<Exception>(() => db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM meter_values_journal")));
    }

    [Fact]
    public async Task Old_per_sample_rows_and_new_readings_list_alike_sorted_paged_and_filtered_together()
    {
        await using var host = await TestHost.StartAsync(null, NoMoves);
        var api = host.Admin;
        var site = await Site.CreateAsync(api);
        var db = host.Services.GetRequiredService<Database>();
        var customerId = await db.ReadAsync(c => c.ExecuteScalarAsync<string>(
            "SELECT customerId FROM charge_points WHERE id = @id", new { id = site.ChargePointId }));
        var t0 = new DateTimeOffset(2021, 7, 10, 10, 0, 0, TimeSpan.Zero);
        // Every 10 s one element: new ones (REST) at 0, 20, 40 s with 7 kW, old per-sample rows (as stored before
        // migration 071) at 10, 30, 50 s with 11 kW; both with the same voltage and energy samples.
        object[] Samples(double kw, int i) =>
        [
            new { measurand = "Power.Active.Import", unit = "kW", value = kw },
            new { measurand = "Energy.Active.Import.Register", unit = "Wh", value = 1000.5 + i },
            new { measurand = "Voltage", phase = "L1-N", value = 230.1 },
        ];
        for (var i = 0; i < 6; i += 2)
            await api.Create("/v2/meter_values", new
            {
                chargePointId = site.ChargePointId, connectorId = 1,
                meterValues = new[] { new { timestamp = OcppKit.Ocpp(t0.AddSeconds(10 * i)), sampledValue = Samples(7, i) } },
            });
        await db.WriteAsync(async (c, tx) =>
        {
            for (var i = 1; i < 6; i += 2)
            {
                // Ids in the order of the samples, as the reading's are (old ids of one element were in no set order).
                var element = Guid.CreateVersion7().ToString()[..34];
                var k = 0;
                foreach (var (measurand, phase, unit, value) in new[]
                         { ("Power.Active.Import", (string?)null, "kW", 11.0), ("Energy.Active.Import.Register", null, "Wh", 1000.5 + i), ("Voltage", "L1-N", "V", 230.1) })
                    await c.ExecuteAsync(InsertOld("meter_values"), new
                    {
                        id = $"{element}{k++:x2}", customerId, created = "2021-07-10T10:00:00.000000+00:00", updated = "2021-07-10T10:00:00.000000+00:00",
                        chargePointId = site.ChargePointId, connectorId = 1, connector = site.Connector1, networkId = site.NetworkId,
                        chargingSessionId = (string?)null, transactionId = (long?)null, vehicleId = (string?)null,
                        timestamp = Cms.Core.Resources.Iso.Format(t0.AddSeconds(10 * i)), measurand, phase, unit,
                        context = "Sample.Periodic", format = "Raw", location = "Outlet", value,
                    }, tx);
            }
            return 0;
        });

        const string window = "start=2021-07-10T10:00:00Z&end=2021-07-10T10:01:00Z";
        var full = await api.Get($"/v2/meter_values?chargepoint={site.ChargePointId}&{window}&limit=100");
        Assert.Equal(18, full.Total);
        var rows = full.Data.Cast<JObject>().ToList();
        // Sorted by time across old and new; within an element, in the order sent.
        Assert.Equal(Enumerable.Range(0, 6).SelectMany(i => Enumerable.Repeat(t0.AddSeconds(10 * i), 3)), rows.Select(r => OcppKit.Time(r["timestamp"])));
        Assert.Equal(Enumerable.Range(0, 6).SelectMany(_ => new[] { "Power.Active.Import", "Energy.Active.Import.Register", "Voltage" }),
            rows.Select(r => (string)r["measurand"]!));
        // An old row and a new one list alike, field by field (but id, time and value).
        static JObject Shape(JObject row)
        {
            var shape = (JObject)row.DeepClone();
            foreach (var name in new[] { "id", "timestamp", "value", "created", "updated" }) shape.Remove(name);
            return shape;
        }
        for (var i = 0; i < 3; i++) Assert.Equal(Shape(rows[i]).ToString(), Shape(rows[3 + i]).ToString());
        Assert.Equal([7.0, 1000.5, 230.1, 11.0, 1001.5, 230.1], rows.Take(6).Select(r => (double)r["value"]!));

        // Every scope lists them all; a window takes old and new alike; pages are slices of the whole.
        foreach (var scope in new[] { $"network={site.NetworkId}", $"connector={site.Connector1}" })
            Assert.Equal(rows.Select(r => (string)r["id"]!), (await api.Get($"/v2/meter_values?{scope}&{window}&limit=100")).Data.Select(r => (string)r["id"]!));
        var narrow = await api.Get($"/v2/meter_values?chargepoint={site.ChargePointId}&start=2021-07-10T10:00:10Z&end=2021-07-10T10:00:39Z");
        Assert.Equal(rows.Skip(3).Take(9).Select(r => (string)r["id"]!), narrow.Data.Select(r => (string)r["id"]!));
        var page = await api.Get($"/v2/meter_values?chargepoint={site.ChargePointId}&{window}&limit=4&offset=7&sort=timestamp:desc");
        Assert.Equal(18, page.Total);
        Assert.Equal(rows.Select(r => OcppKit.Time(r["timestamp"])).Reverse().Skip(7).Take(4), page.Data.Select(r => OcppKit.Time(r["timestamp"])));
        // By measurand (the power profile): 10 s each of 7 and 11 kW.
        var power = await api.Get($"/v2/profiles/meter_values/power?connector={site.Connector1}&{window}&resolution=1m");
        Assert.True(power.Status == 200, power.ToString());
        Assert.Equal(9.0, (double)power.Body["data"]!["values"]![0]!, 6);
    }

    /// <summary>Rows in meter_readings and its journal (each row once: no move is under way in these tests).</summary>
    private static Task<long> ReadingRowsAsync(Database db) => db.ReadAsync(c => c.ExecuteScalarAsync<long>(
        "SELECT (SELECT COUNT(*) FROM meter_readings) + (SELECT COUNT(*) FROM meter_readings_journal)"));

    private static readonly string[] OldColumns =
    [
        "id", "customerId", "created", "updated", "chargePointId", "connectorId", "connector", "networkId", "chargingSessionId",
        "transactionId", "vehicleId", "timestamp", "measurand", "phase", "unit", "context", "format", "location", "value",
    ];

    /// <summary>An INSERT of a per-sample row as the store wrote them before migration 071.</summary>
    private static string InsertOld(string table, bool seq = false) =>
        $"INSERT INTO {table} ({(seq ? "seq, " : "")}{string.Join(", ", OldColumns.Select(c => $"\"{c}\""))}) " +
        $"VALUES ({(seq ? "@seq, " : "")}{string.Join(", ", OldColumns.Select(c => "@" + c))})";

    private static (long Seq, string Cp, object Row) OldRow(long seq, string cp) => (seq, cp, new
    {
        seq, id = Guid.NewGuid().ToString(), customerId = "c", created = "2026-01-01T00:00:00.000000+00:00", updated = "2026-01-01T00:00:00.000000+00:00",
        chargePointId = cp, connectorId = 1, connector = cp + "-1", networkId = "n", chargingSessionId = seq % 3 == 0 ? null : "s",
        transactionId = seq % 3 == 0 ? (long?)null : 7, vehicleId = (string?)null, timestamp = $"2026-01-01T00:00:{seq % 4:00}.000000+00:00",
        measurand = seq % 2 == 0 ? "Power.Active.Import" : "Energy.Active.Import.Register", phase = seq % 2 == 0 ? "L1" : null, unit = "W",
        context = "Sample.Periodic", format = "Raw", location = (string?)null, value = seq * 1.1,
    });

    private static async Task<List<string>> ReadAllAsync(Database db, string sql) =>
        (await db.ReadAsync(c => c.QueryAsync(sql))).Select(r => string.Join("|", ((IDictionary<string, object?>)r).Select(kv =>
            $"{kv.Key}={Convert.ToString(kv.Value, CultureInfo.InvariantCulture)}"))).ToList();
}
