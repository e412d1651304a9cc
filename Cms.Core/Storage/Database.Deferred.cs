namespace Cms.Core.Storage;

/// <summary>
/// Writes acknowledged before their commit (<see cref="IDeferredWrites"/>, e.g. charger meter readings kept in an
/// <see cref="AckLog"/>) are invisible in the store until they are flushed. So every other access waits for them
/// first: a read or a write transaction awaits a flush of what is pending, and a group-commit item is queued behind
/// one. Code already inside a write (the group writer's thread, a <see cref="WriteAsync{T}(Func{System.Data.Common.DbConnection, System.Data.Common.DbTransaction, Task{T}})"/>'s
/// work) skips the wait: the flush needs the write lock it holds.
/// </summary>
public sealed partial class Database
{
    private IDeferredWrites? _deferred;
    [ThreadStatic] private static bool _onGroupWriter;
    private static readonly AsyncLocal<bool> InsideWrite = new();

    /// <summary>Registers the store's deferred writes (one set per store).</summary>
    public void UseDeferredWrites(IDeferredWrites deferred) => _deferred = deferred;

    /// <summary>Completes once every write acknowledged so far is committed (at once if none is pending).</summary>
    public Task DeferredBarrierAsync() =>
        _deferred is { Pending: true } deferred && !_onGroupWriter && !InsideWrite.Value ? deferred.FlushAsync() : Task.CompletedTask;
}

/// <summary>Writes acknowledged before their group commit, which the store flushes before any other access.</summary>
public interface IDeferredWrites
{
    bool Pending { get; }

    /// <summary>Queues what is pending as a group-commit item (<see cref="Database.GroupWriteUnorderedAsync{T}"/>), at
    /// once; the task completes once everything acknowledged before the call is committed.</summary>
    Task FlushAsync();
}
