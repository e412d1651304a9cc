using System.Data.Common;

namespace Cms.Core.Storage;

/// <summary>The traffic journals' side of the store (see <see cref="TrafficJournal"/> and <see cref="JournalMover"/>).</summary>
public sealed partial class Database
{
    /// <summary>The group writer's SQLite page cache (KiB): a journal move touches a few MB of index and table pages,
    /// and a cache that holds them reads each from the file once instead of again after every eviction.</summary>
    public const int GroupCacheKib = 16_000;
    private long _journalRows;

    /// <summary>Rows this process appended to the traffic journals since they were last moved: when to move them.</summary>
    public long JournalRowsPending => Interlocked.Read(ref _journalRows);

    public void JournalRowsAppended(int rows) => Interlocked.Add(ref _journalRows, rows);

    /// <summary>Rows a move takes per part (whole charge points; see <see cref="TrafficJournal.MovePartAsync"/>).</summary>
    public const int MovePartRows = 1_000;

    /// <summary>
    /// Moves the journals' rows into their indexed tables, as items of the group commit: on the group writer's
    /// connection, whose cache holds the journals' and indexes' hot pages, and with the writers' lock taken exclusively
    /// (on PostgreSQL no other node appends while a part is copied). Returns the rows moved.
    /// Each part (<see cref="MovePartRows"/> rows of a range of charge points) is its own group-commit item and
    /// transaction, so a writer that queues meanwhile (a charger's session start, a REST write, the next batch of meter
    /// values) waits for one part's copy and commit, not for the whole move; and since every charge point's rows move in
    /// one part, each of its index pages is written once per move however many parts there are.
    /// </summary>
    public Task<int> MoveJournalsAsync() => MoveJournalsAsync(MovePartRows);

    /// <param name="partRows">Rows per part (whole charge points).</param>
    public async Task<int> MoveJournalsAsync(int partRows)
    {
        var pending = JournalRowsPending;
        var moved = 0;
        foreach (var journal in TrafficJournal.All)
        {
            TrafficJournal.MovePlan? plan = null;
            do
            {
                var rest = plan;
                // Not behind the deferred readings: they go straight to the indexed tables, not through the journals.
                (var part, plan) = await GroupWriteUnorderedAsync((conn, tx) =>
                {
                    Diagnostics.LoopTrace.Mark("mv.begin", pending.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    return journal.MovePartAsync(conn, tx, partRows, rest);
                }, exclusive: true);
                moved += part;
                Diagnostics.LoopTrace.Mark("mv.moved", part.ToString(System.Globalization.CultureInfo.InvariantCulture));
            } while (plan is not null);
        }
        // Only what was counted before: a move takes the rows committed when it started (some appended meanwhile may
        // have been counted; that just makes the next move a little later).
        Interlocked.Add(ref _journalRows, -pending);
        return moved;
    }

    private async Task<DbConnection> OpenGroupConnectionAsync()
    {
        var conn = await OpenAsync();
        if (_postgres is not null) return conn;
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = $"PRAGMA cache_size = -{GroupCacheKib};";
        await cmd.ExecuteNonQueryAsync();
        return conn;
    }
}
