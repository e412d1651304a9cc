using Cms.Core.Storage;

namespace Cms.Core.Tests.Storage;

/// <summary>The store's write lock: one holder at a time, arrival order, except that background writers let the others go first.</summary>
public sealed class WriteLockTests
{
    [Fact]
    public async Task A_writer_queued_after_a_background_writer_goes_first_and_the_lock_passes_one_at_a_time()
    {
        var writeLock = new WriteLock(maxBackgroundWait: TimeSpan.FromMinutes(10)); // no background writer is due here
        await writeLock.WaitAsync(); // held, e.g. by a piece of a stored run
        var order = new List<string>();
        var bookkeeping = Take(writeLock, background: true, "background", order);
        var sessionStart = Take(writeLock, background: false, "session start", order);
        var later = Take(writeLock, background: false, "later", order);
        Assert.Equal(2, writeLock.Waiting); // background writers are not counted

        writeLock.Release();
        await sessionStart;
        Assert.False(bookkeeping.IsCompleted);
        Assert.False(later.IsCompleted);
        writeLock.Release();
        await later;
        Assert.False(bookkeeping.IsCompleted);
        writeLock.Release();
        await bookkeeping;
        writeLock.Release();

        Assert.Equal(["session start", "later", "background"], order);
        await writeLock.WaitAsync().WaitAsync(TimeSpan.FromSeconds(10)); // free again
        Assert.Equal(0, writeLock.Waiting);
    }

    [Fact]
    public async Task A_background_writer_that_waited_long_enough_goes_before_the_others()
    {
        var writeLock = new WriteLock(maxBackgroundWait: TimeSpan.Zero);
        await writeLock.WaitAsync();
        var order = new List<string>();
        var bookkeeping = Take(writeLock, background: true, "background", order);
        var writer = Take(writeLock, background: false, "writer", order);

        writeLock.Release();
        await bookkeeping;
        Assert.False(writer.IsCompleted);
        writeLock.Release();
        await writer;

        Assert.Equal(["background", "writer"], order);
    }

    private static async Task Take(WriteLock writeLock, bool background, string name, List<string> order)
    {
        await writeLock.WaitAsync(background).WaitAsync(TimeSpan.FromSeconds(10));
        lock (order) order.Add(name);
    }
}
