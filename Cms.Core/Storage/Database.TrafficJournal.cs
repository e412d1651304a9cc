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

    /// <summary>
    /// Moves every journal row into its indexed table, as an item of the next group commit: on the group writer's
    /// connection, whose cache holds the journals' and indexes' hot pages, and with the writers' lock taken exclusively
    /// (on PostgreSQL no other node appends while the journals are copied and emptied). Returns the rows moved.
    /// </summary>
    public Task<int> MoveJournalsAsync()
    {
        var pending = JournalRowsPending;
        return GroupWriteAsync(async (conn, tx) =>
        {
            var moved = 0;
            foreach (var journal in TrafficJournal.All) moved += await journal.MoveAllAsync(conn, tx);
            // Only what was counted before: rows appended meanwhile in this batch were moved too, which just makes the next move earlier.
            Interlocked.Add(ref _journalRows, -pending);
            return moved;
        }, exclusive: true);
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
