using System.Data.Common;
using System.Threading.Channels;

namespace Cms.Core.Storage;

/// <summary>
/// Group commit for the frequent small writes of many chargers (meter values, connector status): the items of a batch
/// run one after the other in one shared transaction, and their callers' tasks complete only after its commit
/// (acknowledged means durable). A failing item still fails only its own caller and leaves nothing behind: the batch is
/// rolled back and run again without it, each item then in its own SAVEPOINT (see <see cref="CommitBatchAsync"/>).
/// The batch is whatever queued while the previous one committed (at most <see cref="MaxBatch"/>), so an idle store
/// commits a lone item at once and a busy one gathers more per commit: size follows load, no linger.
/// </summary>
public sealed partial class Database
{
    private const int MaxBatch = 512;
    private readonly Channel<IGroupWork> _groupQueue = Channel.CreateUnbounded<IGroupWork>(new() { SingleReader = true });
    private int _groupWriterStarted;
    /// <summary>The writer's own connection, kept open so its prepared statements (<see cref="PreparedStatements"/>)
    /// are reused batch after batch; dropped and reopened after a failed commit.</summary>
    private DbConnection? _groupConn;

    /// <summary>A table's rows changed in a write that bypassed the caller's cache (REST, or a failed batch: "*").
    /// Raised inside the write lock, before commit, so a cache never serves a row a finished write has replaced.</summary>
    public event Action<string>? Changed;

    public void NotifyChanged(string table) => Changed?.Invoke(table);

    /// <summary>Runs the work inside the next group commit; completes after that commit (or fails with the work's own exception).
    /// The work must only use the connection and transaction given: it runs under the write lock. It may run twice
    /// (once more when a neighbour in its batch fails), so it must have no effect outside that transaction, except on
    /// caches that drop everything on <see cref="Changed"/> "*".</summary>
    public Task<T> GroupWriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work) => GroupWriteAsync(work, exclusive: false);

    /// <param name="exclusive">The batch takes the writers' lock exclusively (PostgreSQL: no other node's group commit
    /// runs beside it), for work that must see every row other nodes committed and none being written.</param>
    public Task<T> GroupWriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, bool exclusive)
    {
        if (Interlocked.Exchange(ref _groupWriterStarted, 1) == 0)
            _ = Task.Factory.StartNew(GroupWriterLoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        var item = new GroupWork<T>(work, exclusive);
        _groupQueue.Writer.TryWrite(item);
        return item.Task;
    }

    private async Task GroupWriterLoopAsync()
    {
        var batch = new List<IGroupWork>(MaxBatch);
        while (await _groupQueue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _groupQueue.Reader.TryRead(out var item)) batch.Add(item);
            try
            {
                if (batch.Count > 0) await CommitBatchAsync(batch);
            }
            catch (Exception e)
            {
                // Never let the one writer die: its callers would wait forever.
                foreach (var item in batch) item.Fail(e);
            }
        }
    }

    /// <summary>
    /// First the cheap way: every item straight in the transaction, no savepoint (a savepoint makes SQLite copy each
    /// page an item touches into a sub-journal first). If an item throws, its caller gets that error, the whole
    /// transaction is rolled back, caches are told to forget what the first attempt computed ("*"), and the others run
    /// again, each in its own savepoint so a second failure stays alone too.
    /// </summary>
    private async Task CommitBatchAsync(List<IGroupWork> batch)
    {
        List<IGroupWork> done;
        await _writeLock.WaitAsync();
        try
        {
            done = await RunBatchAsync(batch, savepoints: false);
            if (done.Count < batch.Count && done.Count > 0)
            {
                NotifyChanged("*");
                done = await RunBatchAsync(done, savepoints: true);
            }
        }
        catch (Exception e)
        {
            // The commit itself failed: nothing of this batch is stored, and caches may hold what its items computed.
            NotifyChanged("*");
            await DropGroupConnectionAsync();
            foreach (var item in batch) item.Fail(e);
            done = [];
        }
        finally
        {
            _writeLock.Release();
            CountCommit();
        }
        foreach (var item in done) item.Complete();
    }

    /// <summary>Runs the items in one transaction. Without savepoints it stops at the first item that throws, fails it, rolls
    /// everything back and returns the items that are still to do (the rest, and those before it); with savepoints each
    /// failing item is rolled back and failed alone. Returns the items whose work is committed, or still to do.</summary>
    private async Task<List<IGroupWork>> RunBatchAsync(List<IGroupWork> batch, bool savepoints)
    {
        var conn = _groupConn ??= await OpenGroupWriterAsync();
        var done = new List<IGroupWork>(batch.Count);
        await using var tx = await conn.BeginTransactionAsync();
        await Dialect.LockWritersAsync(conn, tx, shared: !batch.Exists(item => item.Exclusive));
        for (var i = 0; i < batch.Count; i++)
        {
            var item = batch[i];
            if (savepoints) await tx.SaveAsync("item");
            try
            {
                await item.RunAsync(conn, tx);
                if (savepoints) await tx.ReleaseAsync("item");
                done.Add(item);
            }
            catch (Exception e)
            {
                item.Fail(e);
                if (savepoints)
                {
                    await tx.RollbackAsync("item");
                    await tx.ReleaseAsync("item");
                    continue;
                }
                // Nothing of this attempt is kept: the caller redoes the others.
                await RollbackAsync(tx);
                done.AddRange(batch.Skip(i + 1));
                return done;
            }
        }
        if (done.Count > 0) await tx.CommitAsync();
        return done;
    }

    /// <summary>Some errors (SQLITE_FULL, an I/O error) end SQLite's transaction by themselves: then the connection goes.</summary>
    private async Task RollbackAsync(DbTransaction tx)
    {
        try { await tx.RollbackAsync(); }
        catch (DbException) { await DropGroupConnectionAsync(); }
        catch (InvalidOperationException) { await DropGroupConnectionAsync(); }
    }

    private async Task DropGroupConnectionAsync()
    {
        if (_groupConn is { } broken) await broken.DisposeAsync();
        _groupConn = null;
    }

    /// <summary>The group writer's connection; on SQLite its savepoint sub-journal (the redo of a batch with a failing
    /// item) stays in memory instead of a temp file.</summary>
    private async Task<DbConnection> OpenGroupWriterAsync()
    {
        var conn = await OpenGroupConnectionAsync();
        if (_postgres is not null) return conn;
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "PRAGMA temp_store = MEMORY;";
        await cmd.ExecuteNonQueryAsync();
        return conn;
    }

    private interface IGroupWork
    {
        bool Exclusive { get; }
        Task RunAsync(DbConnection conn, DbTransaction tx);
        void Complete();
        void Fail(Exception e);
    }

    private sealed class GroupWork<T>(Func<DbConnection, DbTransaction, Task<T>> work, bool exclusive) : IGroupWork
    {
        public bool Exclusive => exclusive;
        private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _value = default!;
        public Task<T> Task => _result.Task;
        public async Task RunAsync(DbConnection conn, DbTransaction tx) => _value = await work(conn, tx);
        public void Complete() => _result.TrySetResult(_value);
        public void Fail(Exception e) => _result.TrySetException(e);
    }
}
