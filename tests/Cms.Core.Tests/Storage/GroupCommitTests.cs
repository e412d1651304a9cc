using Cms.Core.Storage;
using Cms.Core.Tests.Support;
using Dapper;

namespace Cms.Core.Tests.Storage;

/// <summary>Group commit: many writers' work in one transaction, each in its own savepoint, answered after the commit.</summary>
public sealed class GroupCommitTests : IAsyncLifetime
{
    private TempDatabase _temp = null!;

    public async Task InitializeAsync()
    {
        _temp = await TempDatabase.CreateAsync();
        await _temp.Db.WriteAsync((conn, tx) => conn.ExecuteAsync("CREATE TABLE group_items (v INTEGER NOT NULL)", transaction: tx));
    }

    public async Task DisposeAsync() => await _temp.DisposeAsync();

    [Fact]
    public async Task A_failing_item_rolls_back_alone_and_its_neighbours_commit()
    {
        var db = _temp.Db;
        var release = new TaskCompletionSource();
        // Hold the write lock so the items below queue up and go into one batch together.
        var holder = db.WriteAsync(async (_, _) => await release.Task);
        var first = db.GroupWriteAsync((conn, tx) => conn.ExecuteAsync("INSERT INTO group_items (v) VALUES (0)", transaction: tx));
        var items = Enumerable.Range(1, 5).Select(v => db.GroupWriteAsync(async (conn, tx) =>
        {
            await conn.ExecuteAsync("INSERT INTO group_items (v) VALUES (@v)", new { v }, tx);
            if (v == 3) throw new InvalidOperationException("item 3 is bad after writing");
            return v;
        })).ToList();
        release.SetResult();
        await holder;
        await first;

        var bad = await Assert.ThrowsAsync<InvalidOperationException>(() => items[2]);
        Assert.Equal("item 3 is bad after writing", bad.Message);
        var answers = await Task.WhenAll(items.Where((_, i) => i != 2));
        Assert.Equal(new[] { 1, 2, 4, 5 }, answers);
        var stored = (await db.ReadAsync(conn => conn.QueryAsync<int>("SELECT v FROM group_items ORDER BY v"))).ToArray();
        Assert.Equal(new[] { 0, 1, 2, 4, 5 }, stored);
    }

    [Fact]
    public async Task A_lone_item_is_committed_before_its_caller_resumes()
    {
        var db = _temp.Db;
        await db.GroupWriteAsync((conn, tx) => conn.ExecuteAsync("INSERT INTO group_items (v) VALUES (42)", transaction: tx));
        // Another connection sees it at once: the answer came after the commit.
        Assert.Equal(1, await db.ReadAsync(conn => conn.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM group_items WHERE v = 42")));
    }
}
