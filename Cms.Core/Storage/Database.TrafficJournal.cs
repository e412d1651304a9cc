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

    /// <summary>Rows a move takes per piece: between pieces it gives way to a waiting writer (see <see cref="MoveJournalsAsync()"/>).</summary>
    public const int MovePieceRows = 500;

    /// <summary>
    /// Moves every journal row into its indexed table, as items of the group commit: on the group writer's connection,
    /// whose cache holds the journals' and indexes' hot pages, and with the writers' lock taken exclusively (on
    /// PostgreSQL no other node appends while the journals are copied and emptied). Returns the rows moved.
    /// The move goes piece by piece (<see cref="MovePieceRows"/> rows) in one transaction while no other writer waits, so
    /// each index page is written once per move; when a writer queues for the write lock (a charger's session start, a
    /// REST write; not a background one), the move commits after the piece under way and goes on in the next group
    /// commit, behind that writer.
    /// A session start then waits for one piece, not for a move of thousands of rows.
    /// </summary>
    public Task<int> MoveJournalsAsync() => MoveJournalsAsync(MovePieceRows, () => WritersWaiting);

    /// <param name="pieceRows">Rows per piece.</param>
    /// <param name="giveWay">Asked after each piece: true commits what is moved so far and goes on in a later transaction.</param>
    public async Task<int> MoveJournalsAsync(int pieceRows, Func<bool> giveWay)
    {
        var pending = JournalRowsPending;
        var moved = 0;
        while (true)
        {
            var (part, done) = await GroupWriteAsync(async (conn, tx) =>
            {
                Diagnostics.LoopTrace.Mark("mv.begin", pending.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var part = 0;
                foreach (var journal in TrafficJournal.All)
                {
                    var (rows, emptied) = await journal.MoveAsync(conn, tx, pieceRows, giveWay);
                    part += rows;
                    if (!emptied) return (part, false);
                }
                return (part, true);
            }, exclusive: true);
            moved += part;
            Diagnostics.LoopTrace.Mark("mv.moved", part.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (!done) continue;
            // Only what was counted before: rows appended meanwhile were moved too, which just makes the next move earlier.
            Interlocked.Add(ref _journalRows, -pending);
            return moved;
        }
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
