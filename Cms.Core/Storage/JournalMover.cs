namespace Cms.Core.Storage;

/// <summary>
/// Moves the traffic journals into their indexed tables (<see cref="Database.MoveJournalsAsync"/>): once this process
/// appended <see cref="JournalMoverOptions.MoveRows"/> rows, or <see cref="JournalMoverOptions.MaxDelay"/> after the
/// last move if any are pending, and once at start (rows a previous run left). The larger the batch, the fewer times
/// each per-charger index page is written; the smaller, the fewer unindexed rows a reader scans. A writer that queues
/// for the write lock meanwhile waits for one part of the move only, whatever its size (<see cref="Database.MoveJournalsAsync()"/>).
/// Correctness does not depend on when it runs: readers see both.
/// </summary>
public sealed class JournalMover(Database db, JournalMoverOptions options)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    public async Task RunAsync(Action<Exception> onError, CancellationToken stop)
    {
        if (db.Dialect.IsPostgres) return; // its hot writes go to the indexed tables (TrafficJournal.InsertSqlFor)
        var lastMove = DateTimeOffset.MinValue; // the first tick moves what a previous run left
        try
        {
            using var timer = new PeriodicTimer(Tick);
            do
            {
                var pending = db.JournalRowsPending;
                var due = DateTimeOffset.UtcNow - lastMove >= options.MaxDelay;
                if (pending < options.MoveRows && !(due && (pending > 0 || lastMove == DateTimeOffset.MinValue))) continue;
                try
                {
                    await db.MoveJournalsAsync();
                    lastMove = DateTimeOffset.UtcNow;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The rows stay in the journal (the move is one transaction) and readers still see them; try again later.
                    lastMove = DateTimeOffset.UtcNow;
                    onError(e);
                }
            } while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // shutting down: the journals are durable as they are
        }
    }
}

/// <summary>When <see cref="JournalMover"/> moves (config Storage:JournalMoveRows, Storage:JournalMaxDelaySeconds).</summary>
public sealed record JournalMoverOptions
{
    /// <summary>~2,700 MeterValues messages (one reading and 2 logged frames each, since migration 071). A move runs in parts of
    /// <see cref="Database.MovePartRows"/> rows, so a writer waits for one part whatever this is; the larger it is, the
    /// fewer times each per-charger index page is written (bench --store: 2,000 rows moved 67 µs and 12 KB per message,
    /// 8,000 rows in parts of 1,000 45 µs and 6 KB), and the more unindexed rows a reader scans.</summary>
    public int MoveRows { get; init; } = 8_000;
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);
}
