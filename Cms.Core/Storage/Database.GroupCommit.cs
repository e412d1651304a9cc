using System.Data.Common;
using System.Threading.Channels;

namespace Cms.Core.Storage;

/// <summary>
/// Group commit for the frequent small writes of many chargers (meter values, connector status). Each piece of work
/// runs in its own SAVEPOINT inside one shared transaction, so a failing item rolls back only its own changes and fails
/// only its own caller; the others commit together. A caller's task completes only after the commit: acknowledged
/// means durable. The batch is whatever queued while the previous one committed (at most <see cref="MaxBatch"/>), so
/// an idle store commits a lone item at once and a busy one gathers more per commit: size follows load, no linger.
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
    /// The work must only use the connection and transaction given: it runs under the write lock.</summary>
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

    private async Task CommitBatchAsync(List<IGroupWork> batch)
    {
        var done = new List<IGroupWork>(batch.Count);
        await _writeLock.WaitAsync();
        try
        {
            var conn = _groupConn ??= await OpenGroupConnectionAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await Dialect.LockWritersAsync(conn, tx, shared: !batch.Exists(item => item.Exclusive));
            foreach (var item in batch)
            {
                // A lone item needs no savepoint: its failure rolls the whole (one-item) transaction back.
                var savepoint = batch.Count > 1;
                if (savepoint) await tx.SaveAsync("item");
                try
                {
                    await item.RunAsync(conn, tx);
                    if (savepoint) await tx.ReleaseAsync("item");
                    done.Add(item);
                }
                catch (Exception e)
                {
                    if (savepoint)
                    {
                        await tx.RollbackAsync("item");
                        await tx.ReleaseAsync("item");
                    }
                    item.Fail(e);
                }
            }
            if (done.Count > 0) await tx.CommitAsync();
        }
        catch (Exception e)
        {
            // The commit itself failed: nothing of this batch is stored, and caches may hold what its items computed.
            NotifyChanged("*");
            if (_groupConn is { } broken) await broken.DisposeAsync();
            _groupConn = null;
            foreach (var item in batch) item.Fail(e);
            done.Clear();
        }
        finally
        {
            _writeLock.Release();
            CountCommit();
        }
        foreach (var item in done) item.Complete();
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
