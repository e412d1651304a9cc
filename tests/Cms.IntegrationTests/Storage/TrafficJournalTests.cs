using Cms.Core.Domain.MeterValues;
using Cms.Core.Storage;
using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;
using Dapper;

namespace Cms.IntegrationTests.Storage;

/// <summary>
/// The traffic journals (migrations 041 and 070) on either engine: a row is read through the view from its commit on, a
/// move puts each row in the indexed table exactly once (also across its parts, with writers between them, and when it
/// was cut short), and a move that fails leaves every row where it was.
/// </summary>
public sealed class TrafficJournalTests
{
    private static readonly TrafficJournal Meter = TrafficJournal.MeterReadings;

    [Fact]
    public async Task A_journaled_reading_is_read_through_the_view_before_and_after_the_move_and_lands_in_the_indexed_table_once()
    {
        await using var store = await TestStore.CreateAsync();
        await using var db = await store.OpenMigratedAsync();
        await AddCustomerAsync(db);
        var ids = Enumerable.Range(0, 30).Select(_ => NewId()).Order(StringComparer.Ordinal).ToList();
        await db.GroupWriteAsync(async (c, tx) =>
        {
            foreach (var (id, i) in ids.Select((id, i) => (id, i))) await c.ExecuteAsync(Meter.InsertSql, Reading(id, i), tx);
            return 0;
        });

        Assert.Equal(ids, await ReadAsync(db, "meter_values_all"));
        Assert.Empty(await ReadAsync(db, "meter_readings"));

        Assert.Equal(ids.Count, await db.MoveJournalsAsync());
        Assert.Equal(ids, await ReadAsync(db, "meter_values_all"));
        Assert.Equal(ids, await ReadAsync(db, "meter_readings"));
        Assert.Empty(await ReadAsync(db, "meter_readings_journal"));

        // The journal takes rows again after being emptied, and the next move brings them over too.
        var more = "ffffffff-ffff-4fff-bfff-ffffffffff00"; // sorts last
        await db.GroupWriteAsync((c, tx) => c.ExecuteAsync(Meter.InsertSql, Reading(more, 99), tx));
        Assert.Equal([.. ids, more], await ReadAsync(db, "meter_values_all"));
        Assert.Equal(1, await db.MoveJournalsAsync());
        Assert.Equal([.. ids, more], await ReadAsync(db, "meter_readings"));
    }

    [Fact]
    public async Task A_move_that_fails_leaves_every_row_in_the_journal_and_the_view_unchanged()
    {
        await using var store = await TestStore.CreateAsync();
        await using var db = await store.OpenMigratedAsync();
        await AddCustomerAsync(db);
        var ids = Enumerable.Range(0, 10).Select(_ => NewId()).Order(StringComparer.Ordinal).ToList();
        await db.GroupWriteAsync(async (c, tx) =>
        {
            foreach (var (id, i) in ids.Select((id, i) => (id, i))) await c.ExecuteAsync(Meter.InsertSql, Reading(id, i), tx);
            // The last row's id is taken in the indexed table already: copying it there breaks the primary key.
            await c.ExecuteAsync(Meter.InsertSql.Replace(Meter.Journal, Meter.Table), Reading(ids[^1], 0), tx);
            return 0;
        });

        var e = await Assert.ThrowsAnyAsync<Exception>(db.MoveJournalsAsync);
        Assert.True(db.Dialect.IsUniqueViolation(e), e.Message);
        Assert.Equal(ids, await ReadAsync(db, "meter_readings_journal"));
        Assert.Equal([ids[^1]], await ReadAsync(db, "meter_readings"));
    }

    [Fact]
    public async Task A_move_in_parts_lets_a_queued_writer_go_between_parts_and_every_commit_shows_each_row_once()
    {
        await using var store = await TestStore.CreateAsync();
        await using var db = await store.OpenMigratedAsync();
        await AddCustomerAsync(db);
        // 4 charge points with 10 rows each, interleaved as chargers send them; parts of 10 rows: one charge point each.
        var rows = Enumerable.Range(0, 40).Select(i => (Id: NewId(), Cp: $"cp{i % 4}", I: i)).ToList();
        await AppendAsync(db, rows);

        // Hold the write lock, so the move's first part and then a writer queue behind it, in that order.
        var hold = new TaskCompletionSource();
        var holder = db.WriteAsync((_, _) => hold.Task);
        var move = db.MoveJournalsAsync(partRows: 10);
        await OcppKit.EventuallyAsync(() => Task.FromResult(db.WritersWaiting), waiting => waiting, "the move's first part queued for the write lock");
        var late = (Id: NewId(), Cp: "cp0", I: 99);
        var writer = db.WriteAsync(async (c, tx) =>
        {
            var seen = (
                Indexed: await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM meter_readings", transaction: tx),
                Journal: await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM meter_readings_journal", transaction: tx),
                Read: (await c.QueryAsync<string>("SELECT id FROM meter_values_all", transaction: tx)).ToList());
            // A charger's reading appended between parts, for a charge point already moved: it stays for the next move.
            await c.ExecuteAsync(Meter.InsertSql, Reading(late.Id, late.I, late.Cp), tx);
            return seen;
        });
        hold.SetResult();
        await holder;

        Assert.Equal(rows.Count, await move);
        var (indexed, journal, read) = await writer;
        // The writer went right after the first part: cp0's rows are in the indexed table, and still in the journal
        // (the last part deletes them), yet read once.
        Assert.Equal(10, indexed);
        Assert.Equal(40, journal);
        Assert.Equal(rows.Select(r => r.Id).Order(StringComparer.Ordinal), read.Order(StringComparer.Ordinal));

        Assert.Equal(rows.Select(r => r.Id).Order(StringComparer.Ordinal), await ReadAsync(db, "meter_readings"));
        Assert.Equal([late.Id], await ReadAsync(db, "meter_readings_journal"));
        Assert.Equal(rows.Select(r => r.Id).Append(late.Id).Order(StringComparer.Ordinal), await ReadAsync(db, "meter_values_all"));
        Assert.Equal(0, await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM journal_moves")));

        Assert.Equal(1, await db.MoveJournalsAsync(partRows: 10));
        Assert.Empty(await ReadAsync(db, "meter_readings_journal"));
        Assert.Equal(41, (await ReadAsync(db, "meter_readings")).Count);
    }

    [Fact]
    public async Task A_move_cut_short_after_a_part_reads_each_row_once_after_a_restart_and_the_next_move_finishes_it()
    {
        await using var store = await TestStore.CreateAsync();
        var rows = Enumerable.Range(0, 30).Select(i => (Id: NewId(), Cp: $"cp{i % 3}", I: i)).ToList();
        await using (var first = await store.OpenMigratedAsync())
        {
            await AddCustomerAsync(first);
            await AppendAsync(first, rows);
            // One part committed, then the process stops (the rest of the move never ran).
            var (moved, remaining) = await first.GroupWriteAsync((c, tx) => Meter.MovePartAsync(c, tx, partRows: 10), exclusive: true);
            Assert.Equal(10, moved);
            Assert.NotNull(remaining);
        }

        await using var db = store.Open();
        var ids = rows.Select(r => r.Id).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(ids, await ReadAsync(db, "meter_values_all"));
        Assert.Equal(10, (await ReadAsync(db, "meter_readings")).Count);
        Assert.Equal(30, (await ReadAsync(db, "meter_readings_journal")).Count);

        Assert.Equal(20, await db.MoveJournalsAsync(partRows: 10));
        Assert.Equal(ids, await ReadAsync(db, "meter_readings"));
        Assert.Equal(ids, await ReadAsync(db, "meter_values_all"));
        Assert.Empty(await ReadAsync(db, "meter_readings_journal"));
    }

    private static Task AppendAsync(Database db, IEnumerable<(string Id, string Cp, int I)> rows) => db.GroupWriteAsync(async (c, tx) =>
    {
        foreach (var (id, cp, i) in rows) await c.ExecuteAsync(Meter.InsertSql, Reading(id, i, cp), tx);
        return 0;
    });

    /// <summary>meter_readings references its customer (the journal does not: it is checked on the way in).</summary>
    private static Task AddCustomerAsync(Database db) => db.WriteAsync((c, tx) => c.ExecuteAsync(
        "INSERT INTO customers (id, created, updated, name, \"shortName\") VALUES ('c', 'x', 'x', 'c', 'c')", transaction: tx));

    private static object Reading(string id, int i, string chargePointId = "cp") => new
    {
        id, customerId = "c", created = "2026-01-01T00:00:00.000000+00:00", updated = "2026-01-01T00:00:00.000000+00:00",
        chargePointId, connectorId = 1, connector = "k", networkId = "n", chargingSessionId = "s", transactionId = 7,
        vehicleId = (string?)null, timestamp = $"2026-01-01T00:00:{i % 60:00}.000000+00:00",
        samples = $"[[\"Energy.Active.Import.Register\",null,\"Wh\",null,null,null,{1000 + i}]]",
    };

    /// <summary>A reading's id (ends in 00: its one sample is listed under the same id).</summary>
    private static string NewId() => MeterReading.NewId(Guid.NewGuid().ToString());

    private static async Task<List<string>> ReadAsync(Database db, string table) =>
        (await db.ReadAsync(c => c.QueryAsync<string>($"SELECT id FROM {table} ORDER BY id"))).ToList();
}
