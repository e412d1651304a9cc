using System.Data.Common;

namespace Cms.Core.Storage;

/// <summary>
/// Group commit for the frequent small writes of many chargers (meter values, connector status): the items of a batch
/// run one after the other in one shared transaction, and their callers' tasks complete only after its commit
/// (acknowledged means durable). A failing item still fails only its own caller and leaves nothing behind: the batch is
/// rolled back and run again without it, each item then in its own SAVEPOINT (see <see cref="CommitBatch"/>).
/// An idle store commits a lone item at once; a busy one gathers more per commit, and waits a little for more while
/// the load keeps its batches full (<see cref="TakeBatch"/>). One thread of its own runs the batches
/// (<see cref="GroupWriterLoop"/>).
/// </summary>
public sealed partial class Database
{
    private const int MaxBatch = 512;
    /// <summary>The writer's thread ends after this long with nothing to do (a store that is left idle keeps no thread);
    /// the next item starts another.</summary>
    private static readonly TimeSpan GroupWriterIdle = TimeSpan.FromSeconds(10);
    private readonly object _groupGate = new();
    private readonly Queue<IGroupWork> _groupQueue = new();
    private bool _groupWriterRunning;
    private bool _groupWriterWaiting;
    /// <summary>How many queued items wake the waiting writer (see <see cref="TakeBatch"/>).</summary>
    private int _groupWakeAt = 1;
    private int _groupTarget = 1;
    private int _groupHold;
    /// <summary>The writer's own connection, kept open so its prepared statements (<see cref="PreparedStatements"/>)
    /// are reused batch after batch; dropped and reopened after a failed commit.</summary>
    private DbConnection? _groupConn;

    /// <summary>A table's rows changed in a write that bypassed the caller's cache (REST, or a failed batch: "*").
    /// Raised inside the write lock, before commit, so a cache never serves a row a finished write has replaced.</summary>
    public event Action<string>? Changed;

    public void NotifyChanged(string table) => Changed?.Invoke(table);

    /// <summary>Items queued for the group writer and not yet taken into a batch (diagnostics, and tests that line
    /// items up in one batch).</summary>
    public int GroupQueueLength
    {
        get { lock (_groupGate) return _groupQueue.Count; }
    }

    /// <summary>Runs the work inside the next group commit; completes after that commit (or fails with the work's own exception).
    /// The work must only use the connection and transaction given: it runs under the write lock, on the writer's thread
    /// (on SQLite it completes synchronously there). It may run twice (once more when a neighbour in its batch fails), so
    /// it must have no effect outside that transaction, except on caches that drop everything on <see cref="Changed"/> "*".</summary>
    public Task<T> GroupWriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work) => GroupWriteAsync(work, exclusive: false);

    /// <param name="exclusive">The batch takes the writers' lock exclusively (PostgreSQL: no other node's group commit
    /// runs beside it), for work that must see every row other nodes committed and none being written.</param>
    public Task<T> GroupWriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, bool exclusive)
    {
        // Behind what was acknowledged before it (see Database.Deferred.cs); queued, not awaited.
        _ = DeferredBarrierAsync();
        return GroupWriteUnorderedAsync(work, exclusive);
    }

    /// <summary>A group-commit item queued without first flushing the deferred writes: for those writes' own flush.</summary>
    public Task<T> GroupWriteUnorderedAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, bool exclusive = false)
    {
        var item = new GroupWork<T>(work, exclusive);
        lock (_groupGate)
        {
            _groupQueue.Enqueue(item);
            if (!_groupWriterRunning)
            {
                _groupWriterRunning = true;
                new Thread(GroupWriterLoop) { IsBackground = true, Name = "group-commit" }.Start();
            }
            else if (_groupWriterWaiting && _groupQueue.Count >= _groupWakeAt) Monitor.Pulse(_groupGate);
        }
        return item.Task;
    }

    /// <summary>
    /// One thread runs every batch, start to end, with the providers' synchronous calls: Microsoft.Data.Sqlite's async
    /// methods are synchronous anyway, and an async loop would resume each batch on whichever pool thread was free (30+
    /// of them took turns at SQLite). Callers resume on the pool once their batch is committed.
    /// </summary>
    private void GroupWriterLoop()
    {
        _onGroupWriter = true;
        var batch = new List<IGroupWork>(MaxBatch);
        while (true)
        {
            if (!TakeBatch(batch)) return;
            try
            {
                CommitBatch(batch);
            }
            catch (Exception e)
            {
                // Never let the one writer die: its callers would wait forever.
                foreach (var item in batch) item.Fail(e);
            }
            batch.Clear();
        }
    }

    /// <summary>How long a busy writer may wait for its target (see <see cref="TakeBatch"/>). 1 ms took the batches of 100
    /// chargers' MeterValues from ~5 items to ~13-20; 3 ms gathered ~25 for no clear CPU gain and a risk to p99.</summary>
    private static readonly TimeSpan GroupLinger = TimeSpan.FromMilliseconds(1);
    private const int MaxGroupTarget = 128;
    private const int HoldAfterTimeout = 16;

    /// <summary>
    /// Waits for the next batch and takes it; false when the writer has been idle long enough to end. Batch size follows
    /// the load: while the target is reached (items queued during the last commit, or within <see cref="GroupLinger"/> of
    /// waiting), it grows by a quarter; when the wait runs out first, the target falls to what came and stays there for
    /// <see cref="HoldAfterTimeout"/> batches (a few callers in a tight loop would otherwise wait out every other linger).
    /// A lone item, or a trickle, never waits: the target stays 1.
    /// Every commit of many chargers' items rewrites the same journal tail and session pages once, not once per few items.
    /// </summary>
    private bool TakeBatch(List<IGroupWork> batch)
    {
        lock (_groupGate)
        {
            while (_groupQueue.Count == 0)
            {
                _groupWriterWaiting = true;
                var woken = Monitor.Wait(_groupGate, GroupWriterIdle);
                _groupWriterWaiting = false;
                if (!woken && _groupQueue.Count == 0)
                {
                    _groupWriterRunning = false;
                    return false;
                }
            }
            var target = _groupTarget;
            if (_groupQueue.Count < target)
            {
                // Stopwatch, not TickCount64: the latter is a coarse clock on Linux (a tick of up to 4 ms).
                var deadline = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(GroupLinger.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
                _groupWakeAt = target;
                while (_groupQueue.Count < target)
                {
                    var left = deadline - System.Diagnostics.Stopwatch.GetTimestamp();
                    if (left <= 0) break;
                    _groupWriterWaiting = true;
                    Monitor.Wait(_groupGate, (int)Math.Ceiling(left * 1000.0 / System.Diagnostics.Stopwatch.Frequency));
                    _groupWriterWaiting = false;
                }
                _groupWakeAt = 1;
            }
            while (batch.Count < MaxBatch && _groupQueue.TryDequeue(out var item)) batch.Add(item);
            if (batch.Count < target)
            {
                _groupTarget = Math.Max(1, batch.Count);
                _groupHold = HoldAfterTimeout;
            }
            else if (_groupHold > 0) _groupHold--;
            else if (batch.Count > 1) _groupTarget = Math.Min(MaxGroupTarget, batch.Count + batch.Count / 4 + 1);
            return true;
        }
    }

    /// <summary>
    /// First the cheap way: every item straight in the transaction, no savepoint (a savepoint makes SQLite copy each
    /// page an item touches into a sub-journal first). If an item throws, its caller gets that error, the whole
    /// transaction is rolled back, caches are told to forget what the first attempt computed ("*"), and the others run
    /// again, each in its own savepoint so a second failure stays alone too.
    /// </summary>
    private void CommitBatch(List<IGroupWork> batch)
    {
        List<IGroupWork> done;
        _writeLock.Wait();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            done = RunBatch(batch, savepoints: false);
            if (done.Count < batch.Count && done.Count > 0)
            {
                NotifyChanged("*");
                done = RunBatch(done, savepoints: true);
            }
        }
        catch (Exception e)
        {
            // The commit itself failed: nothing of this batch is stored, and caches may hold what its items computed.
            NotifyChanged("*");
            DropGroupConnection();
            foreach (var item in batch) item.Fail(e);
            done = [];
        }
        finally
        {
            _writeLock.Release();
            var walPages = _groupConn is { } conn ? WalPagesWritten(conn) : 0;
            if (Diagnostics.LoopTrace.On) TraceSlowBatch(started, batch.Count, walPages);
            CountCommit(walPages);
        }
        foreach (var item in done) item.Complete();
    }

    /// <summary>A batch that held the write lock 5 ms or more, for the loop trace: "gc.slow ms items pages".</summary>
    private static void TraceSlowBatch(long started, int items, long walPages)
    {
        var ms = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (ms >= 5) Diagnostics.LoopTrace.Mark("gc.slow", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{ms:F1} {items} {walPages}"));
    }

    /// <summary>Runs the items in one transaction. Without savepoints it stops at the first item that throws, fails it, rolls
    /// everything back and returns the items that are still to do (the rest, and those before it); with savepoints each
    /// failing item is rolled back and failed alone. Returns the items whose work is committed, or still to do.</summary>
    private List<IGroupWork> RunBatch(List<IGroupWork> batch, bool savepoints)
    {
        var conn = _groupConn ??= OpenGroupWriter();
        var done = new List<IGroupWork>(batch.Count);
        using var tx = conn.BeginTransaction();
        Dialect.LockWritersAsync(conn, tx, shared: !batch.Exists(item => item.Exclusive)).GetAwaiter().GetResult();
        for (var i = 0; i < batch.Count; i++)
        {
            var item = batch[i];
            if (savepoints) tx.Save("item");
            try
            {
                item.Run(conn, tx);
                if (savepoints) tx.Release("item");
                done.Add(item);
            }
            catch (Exception e)
            {
                item.Fail(e);
                if (savepoints)
                {
                    tx.Rollback("item");
                    tx.Release("item");
                    continue;
                }
                // Nothing of this attempt is kept: the caller redoes the others.
                Rollback(tx);
                done.AddRange(batch.Skip(i + 1));
                return done;
            }
        }
        if (done.Count > 0) tx.Commit();
        return done;
    }

    /// <summary>Some errors (SQLITE_FULL, an I/O error) end SQLite's transaction by themselves: then the connection goes.</summary>
    private void Rollback(DbTransaction tx)
    {
        try { tx.Rollback(); }
        catch (DbException) { DropGroupConnection(); }
        catch (InvalidOperationException) { DropGroupConnection(); }
    }

    private void DropGroupConnection()
    {
        if (_groupConn is null) return;
        // Its statements first: a pooled SQLite handle outlives the connection object.
        HotStatements.Release(_groupConn);
        _groupConn.Dispose();
        _groupConn = null;
    }

    /// <summary>The group writer's connection; on SQLite its savepoint sub-journal (the redo of a batch with a failing
    /// item) stays in memory instead of a temp file.</summary>
    private DbConnection OpenGroupWriter()
    {
        var conn = OpenGroupConnectionAsync().GetAwaiter().GetResult();
        if (_postgres is not null) return conn;
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "PRAGMA temp_store = MEMORY;";
        cmd.ExecuteNonQuery();
        return conn;
    }

    private interface IGroupWork
    {
        bool Exclusive { get; }
        /// <summary>Runs the work to its end on this thread (on PostgreSQL, waiting for its I/O).</summary>
        void Run(DbConnection conn, DbTransaction tx);
        void Complete();
        void Fail(Exception e);
    }

    private sealed class GroupWork<T>(Func<DbConnection, DbTransaction, Task<T>> work, bool exclusive) : IGroupWork
    {
        public bool Exclusive => exclusive;
        private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _value = default!;
        public Task<T> Task => _result.Task;
        public void Run(DbConnection conn, DbTransaction tx) => _value = work(conn, tx).GetAwaiter().GetResult();
        public void Complete() => _result.TrySetResult(_value);
        public void Fail(Exception e) => _result.TrySetException(e);
    }
}
