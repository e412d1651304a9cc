using Cms.Core.Storage;
using Cms.IntegrationTests.Harness;
using Dapper;

namespace Cms.IntegrationTests.Storage;

/// <summary>
/// The traffic journals (migration 041) on either engine: a row is read through the view from its commit on, a move
/// puts each row in the indexed table exactly once (also when it gives way to a writer between pieces), and a move that
/// fails leaves every row where it was.
/// </summary>
public sealed class TrafficJournalTests
{
    private static readonly TrafficJournal Meter = TrafficJournal.MeterValues;

    [Fact]
    public async Task A_journaled_reading_is_read_through_the_view_before_and_after_the_move_and_lands_in_the_indexed_table_once()
    {
        await using var store = await TestStore.CreateAsync();
        await using var db = await store.OpenMigratedAsync();
        await AddCustomerAsync(db);
        var ids = Enumerable.Range(0, 30).Select(_ => Guid.NewGuid().ToString()).Order(StringComparer.Ordinal).ToList();
        await db.GroupWriteAsync(async (c, tx) =>
        {
            foreach (var (id, i) in ids.Select((id, i) => (id, i))) await c.ExecuteAsync(Meter.InsertSql, Reading(id, i), tx);
            return 0;
        });

        Assert.Equal(ids, await ReadAsync(db, "meter_values_all"));
        Assert.Empty(await ReadAsync(db, "meter_values"));

        Assert.Equal(ids.Count, await db.MoveJournalsAsync());
        Assert.Equal(ids, await ReadAsync(db, "meter_values_all"));
        Assert.Equal(ids, await ReadAsync(db, "meter_values"));
        Assert.Empty(await ReadAsync(db, "meter_values_journal"));

        // The journal takes rows again after being emptied, and the next move brings them over too.
        var more = "ffffffff-ffff-4fff-bfff-ffffffffffff"; // sorts last
        await db.GroupWriteAsync((c, tx) => c.ExecuteAsync(Meter.InsertSql, Reading(more, 99), tx));
        Assert.Equal([.. ids, more], await ReadAsync(db, "meter_values_all"));
        Assert.Equal(1, await db.MoveJournalsAsync());
        Assert.Equal([.. ids, more], await ReadAsync(db, "meter_values"));
    }

    [Fact]
    public async Task A_move_that_fails_leaves_every_row_in_the_journal_and_the_view_unchanged()
    {
        await using var store = await TestStore.CreateAsync();
        await using var db = await store.OpenMigratedAsync();
        await AddCustomerAsync(db);
        var ids = Enumerable.Range(0, 10).Select(_ => Guid.NewGuid().ToString()).Order(StringComparer.Ordinal).ToList();
        await db.GroupWriteAsync(async (c, tx) =>
        {
            foreach (var (id, i) in ids.Select((id, i) => (id, i))) await c.ExecuteAsync(Meter.InsertSql, Reading(id, i), tx);
            // The last row's id is taken in the indexed table already: copying it there breaks the primary key.
            await c.ExecuteAsync(Meter.InsertSql.Replace(Meter.Journal, Meter.Table), Reading(ids[^1], 0), tx);
            return 0;
        });

        var e = await Assert.ThrowsAnyAsync<Exception>(db.MoveJournalsAsync);
        Assert.True(db.Dialect.IsUniqueViolation(e), e.Message);
        Assert.Equal(ids, await ReadAsync(db, "meter_values_journal"));
        Assert.Equal([ids[^1]], await ReadAsync(db, "meter_values"));
    }

    [Fact]
    public async Task A_move_gives_way_to_a_writer_queued_meanwhile_after_one_piece_and_moves_every_row_once()
    {
        await using var store = await TestStore.CreateAsync();
        await using var db = await store.OpenMigratedAsync();
        await AddCustomerAsync(db);
        var ids = Enumerable.Range(0, 35).Select(_ => Guid.NewGuid().ToString()).Order(StringComparer.Ordinal).ToList();
        await db.GroupWriteAsync(async (c, tx) =>
        {
            foreach (var (id, i) in ids.Select((id, i) => (id, i))) await c.ExecuteAsync(Meter.InsertSql, Reading(id, i), tx);
            return 0;
        });

        Task<(long Journal, long Indexed)>? writer = null;
        var moved = await db.MoveJournalsAsync(pieceRows: 10, giveWay: () =>
        {
            // A writer (a charger's session start, say) queues for the write lock while the move holds it.
            writer ??= db.WriteAsync(async (c, tx) => (
                await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM meter_values_journal", transaction: tx),
                await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM meter_values", transaction: tx)));
            return db.WritersWaiting;
        });

        Assert.Equal(ids.Count, moved);
        // The writer ran right after the first piece was committed, before the rest moved: each row in exactly one table.
        Assert.Equal((25L, 10L), await writer!);
        Assert.Equal(ids, await ReadAsync(db, "meter_values"));
        Assert.Empty(await ReadAsync(db, "meter_values_journal"));
        Assert.False(db.WritersWaiting);
    }

    /// <summary>meter_values references its customer (the journal does not: it is checked on the way in).</summary>
    private static Task AddCustomerAsync(Database db) => db.WriteAsync((c, tx) => c.ExecuteAsync(
        "INSERT INTO customers (id, created, updated, name, \"shortName\") VALUES ('c', 'x', 'x', 'c', 'c')", transaction: tx));

    private static object Reading(string id, int i) => new
    {
        id, customerId = "c", created = "2026-01-01T00:00:00.000000+00:00", updated = "2026-01-01T00:00:00.000000+00:00",
        chargePointId = "cp", connectorId = 1, connector = "k", networkId = "n", chargingSessionId = "s", transactionId = 7,
        vehicleId = (string?)null, timestamp = $"2026-01-01T00:00:{i % 60:00}.000000+00:00", measurand = "Energy.Active.Import.Register",
        phase = (string?)null, unit = "Wh", context = (string?)null, format = (string?)null, location = (string?)null, value = 1000.0 + i,
    };

    private static async Task<List<string>> ReadAsync(Database db, string table) =>
        (await db.ReadAsync(c => c.QueryAsync<string>($"SELECT id FROM {table} ORDER BY id"))).ToList();
}
