using System.Data.Common;
using Cms.Core.Storage;

namespace Cms.Core.Tests.Support;

/// <summary>Lines group-commit items up so the writer takes them as one batch.</summary>
public static class GroupBatch
{
    /// <summary>
    /// Holds the write lock while <paramref name="queue"/> queues its <paramref name="items"/> items, so they go into one
    /// batch together: the writer takes <paramref name="first"/> alone and waits with it for the lock, the rest queue behind.
    /// </summary>
    public static async Task<T> InOneBatchAsync<T>(Database db, Func<DbConnection, DbTransaction, Task<int>> first, Func<T> queue, int items)
    {
        var release = new TaskCompletionSource();
        var holder = db.WriteAsync(async (_, _) => await release.Task);
        var taken = db.GroupWriteAsync(first);
        await Until(() => db.GroupQueueLength == 0);
        var queued = queue();
        await Until(() => db.GroupQueueLength == items);
        release.SetResult();
        await holder;
        await taken;
        return queued;
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the group writer");
            await Task.Delay(5);
        }
    }
}
