using Cms.Core.Storage;
using Cms.Core.Tests.Support;
using Dapper;

namespace Cms.Core.Tests.Storage;

/// <summary>Group commit: many writers' work in one transaction, answered after the commit; a failing item fails alone.</summary>
public sealed class GroupCommitTests : IAsyncLifetime
{
    private TempDatabase _temp = null!;

    public async Task InitializeAsync()
    {
        _temp = await TempDatabase.CreateAsync();
        await _temp.Db.WriteAsync((conn, tx) => conn.ExecuteAsync("CREATE TABLE group_items (v INTEGER NOT NULL UNIQUE)", transaction: tx));
    }

    public async Task DisposeAsync() => await _temp.DisposeAsync();

    /// <summary>The items <paramref name="queue"/> queues, in one batch behind a first item that stores 0.</summary>
    private Task<T> InOneBatchAsync<T>(Func<T> queue, int items) => GroupBatch.InOneBatchAsync(_temp.Db,
        (conn, tx) => conn.ExecuteAsync("INSERT INTO group_items (v) VALUES (0)", transaction: tx), queue, items);

    private Task<int[]> StoredAsync() =>
        _temp.Db.ReadAsync(async conn => (await conn.QueryAsync<int>("SELECT v FROM group_items ORDER BY v")).ToArray());

    [Fact]
    public async Task A_failing_item_rolls_back_alone_and_its_neighbours_commit()
    {
        var db = _temp.Db;
        var items = await InOneBatchAsync(() => Enumerable.Range(1, 5).Select(v => db.GroupWriteAsync(async (conn, tx) =>
        {
            await conn.ExecuteAsync("INSERT INTO group_items (v) VALUES (@v)", new { v }, tx);
            if (v == 3) throw new InvalidOperationException("item 3 is bad after writing");
            return v;
        })).ToList(), 5);

        var bad = await Assert.ThrowsAsync<InvalidOperationException>(() => items[2]);
        Assert.Equal("item 3 is bad after writing", bad.Message);
        var answers = await Task.WhenAll(items.Where((_, i) => i != 2));
        Assert.Equal(new[] { 1, 2, 4, 5 }, answers);
        Assert.Equal(new[] { 0, 1, 2, 4, 5 }, await StoredAsync());
    }

    [Fact]
    public async Task Two_failing_items_one_a_constraint_clash_each_fail_alone_and_caches_hear_of_the_redo()
    {
        var db = _temp.Db;
        var changes = new List<string>();
        var runs = new int[7];
        db.Changed += table => { lock (changes) changes.Add(table); };
        // 1, 2, 4 and 6 are good; 3 clashes with 1 (UNIQUE) after its first row went in; 5 writes, then throws.
        var items = await InOneBatchAsync(() => Enumerable.Range(1, 6).Select(n => db.GroupWriteAsync(async (conn, tx) =>
        {
            Interlocked.Increment(ref runs[n]);
            await conn.ExecuteAsync("INSERT INTO group_items (v) VALUES (@v)", new { v = n * 10 }, tx);
            if (n == 3) await conn.ExecuteAsync("INSERT INTO group_items (v) VALUES (10)", transaction: tx);
            if (n == 5) throw new InvalidOperationException("item 5 is bad");
            return n;
        })).ToList(), 6);

        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => items[2]);
        await Assert.ThrowsAsync<InvalidOperationException>(() => items[4]);
        Assert.Equal(new[] { 1, 2, 4, 6 }, await Task.WhenAll(items[0], items[1], items[3], items[5]));
        Assert.Equal(new[] { 0, 10, 20, 40, 60 }, await StoredAsync());
        // The first attempt ran 1 and 2 and stopped at 3; everything was rolled back, caches were told to forget what
        // it computed, and the rest ran again without 3 (5 then failed in its own savepoint).
        Assert.Equal(new[] { 0, 2, 2, 1, 1, 1, 1 }, runs);
        lock (changes) Assert.Contains("*", changes);
    }

    [Fact]
    public async Task A_lone_failing_item_leaves_nothing_and_the_writer_goes_on()
    {
        var db = _temp.Db;
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.GroupWriteAsync<int>(async (conn, tx) =>
        {
            await conn.ExecuteAsync("INSERT INTO group_items (v) VALUES (7)", transaction: tx);
            throw new InvalidOperationException("bad");
        }));
        await db.GroupWriteAsync((conn, tx) => conn.ExecuteAsync("INSERT INTO group_items (v) VALUES (8)", transaction: tx));
        Assert.Equal(new[] { 8 }, await StoredAsync());
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
