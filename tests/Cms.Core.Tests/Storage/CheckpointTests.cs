using Cms.Core.Storage;
using Cms.Core.Tests.Support;
using Dapper;

namespace Cms.Core.Tests.Storage;

/// <summary>
/// SQLite's WAL is checkpointed in the background once enough pages are committed, not only after many commits: a few
/// large commits (journal move parts, stored optimization runs) must not take the WAL to SQLite's own checkpoint, which
/// runs inside a commit, under the write lock, with two fsyncs.
/// </summary>
public sealed class CheckpointTests : IAsyncLifetime
{
    /// <summary>Rows of 4,000 bytes: one page each (4 KiB pages).</summary>
    private const int RowsPerCommit = 1_000;
    private const int Commits = 3;
    private TempDatabase _temp = null!;

    public async Task InitializeAsync()
    {
        _temp = await TempDatabase.CreateAsync();
        await _temp.Db.WriteAsync((conn, tx) => conn.ExecuteAsync("CREATE TABLE big_rows (v BLOB NOT NULL)", transaction: tx));
    }

    public async Task DisposeAsync() => await _temp.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Three_large_commits_are_copied_into_the_database_file_by_a_background_checkpoint(bool groupCommit)
    {
        var db = _temp.Db;
        var before = new FileInfo(db.Path).Length;
        // ~3,000 WAL pages in 3 commits: far fewer commits than the commit count that starts a checkpoint, and fewer
        // pages than SQLite's own automatic checkpoint waits for, so only the page count can start one.
        for (var i = 0; i < Commits; i++)
        {
            Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, Task<int>> insert = (conn, tx) => conn.ExecuteAsync(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @rows) INSERT INTO big_rows (v) SELECT randomblob(4000) FROM n",
                new { rows = RowsPerCommit }, tx);
            if (groupCommit) await db.GroupWriteAsync(insert);
            else await db.WriteAsync(insert);
        }

        // The rows reach the database file only through a checkpoint (in WAL mode a commit writes the WAL alone).
        var copied = before + 2_000L * 4096;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (new FileInfo(db.Path).Length < copied)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no checkpoint copied the committed pages: the database file is {new FileInfo(db.Path).Length} bytes, was {before}");
            await Task.Delay(20);
        }
        var rows = await db.ReadAsync(conn => conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM big_rows"));
        Assert.Equal(Commits * RowsPerCommit, rows);
    }
}
