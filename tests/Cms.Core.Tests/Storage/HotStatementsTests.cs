using System.Text;
using Cms.Core.Storage;
using Cms.Core.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Cms.Core.Tests.Storage;

/// <summary>The hot statements' raw SQLite path writes what Microsoft.Data.Sqlite's commands wrote, and lives and dies with
/// its connection.</summary>
public sealed class HotStatementsTests : IAsyncLifetime
{
    private static readonly IReadOnlyList<string> Columns = ["id", "t", "i", "r"];
    private const string Insert = "INSERT INTO hot_rows (id, t, i, r) VALUES (@id, @t, @i, @r)";
    private TempDatabase _temp = null!;

    public async Task InitializeAsync()
    {
        _temp = await TempDatabase.CreateAsync();
        await _temp.Db.WriteAsync((conn, tx) => conn.ExecuteAsync(
            "CREATE TABLE hot_rows (id TEXT NOT NULL UNIQUE, t TEXT, i INTEGER, r REAL)", transaction: tx));
    }

    public async Task DisposeAsync() => await _temp.DisposeAsync();

    /// <summary>NULLs, empty and long and non-ASCII text, extreme integers and doubles.</summary>
    private static readonly (string? Text, long? Integer, double? Real)[] Values =
    [
        (null, null, null),
        ("", 0, 0.0),
        ("plain", long.MaxValue, double.MaxValue),
        ("zählerstand ⚡ 🚗 \"quoted\" 'single' \\ back", long.MinValue, double.Epsilon),
        (new string('x', 300) + "é", -1, -0.1),
        (string.Concat(Enumerable.Repeat("{\"sampledValue\":[{\"value\":\"56790.5\"}]}", 5_000)), 56790, 1234.5678901234567),
        ("line\nbreak\0nul inside", 7, 1e-300),
    ];

    [Fact]
    public async Task Rows_bound_raw_read_back_identical_to_rows_bound_through_the_provider()
    {
        var db = _temp.Db;
        await db.GroupWriteAsync(async (conn, tx) =>
        {
            var old = conn.Prepared(tx, Insert, Columns);
            for (var n = 0; n < Values.Length; n++)
            {
                old.Parameters[0].Value = $"old-{n}";
                old.Parameters[1].Value = (object?)Values[n].Text ?? DBNull.Value;
                old.Parameters[2].Value = (object?)Values[n].Integer ?? DBNull.Value;
                old.Parameters[3].Value = (object?)Values[n].Real ?? DBNull.Value;
                await old.ExecuteNonQueryAsync();
            }
            var hot = conn.Hot(tx, Insert, Columns);
            for (var n = 0; n < Values.Length; n++)
            {
                hot.Text(0, $"hot-{n}"); hot.Text(1, Values[n].Text); hot.Integer(2, Values[n].Integer); hot.Real(3, Values[n].Real);
                await hot.RunAsync();
            }
            return 0;
        });

        var rows = await RowsAsync();
        for (var n = 0; n < Values.Length; n++)
        {
            var old = rows[$"old-{n}"];
            var hot = rows[$"hot-{n}"];
            Assert.Equal(old with { Id = hot.Id }, hot);
            Assert.Equal(Values[n].Text, (string?)hot.T);
        }
    }

    [Fact]
    public async Task Text_from_a_builder_of_several_chunks_reads_back_as_the_builder_s_string()
    {
        // Builders grown from 16 characters, each a different offset into 🚗s (two UTF-16 characters each): in some the
        // boundary between two chunks falls inside a pair, which must still be one character in the store.
        var texts = Values.Where(v => v.Text is not null).Select(v => new StringBuilder(16).Append(v.Text)).ToList();
        for (var offset = 0; offset < 24; offset++)
        {
            var text = new StringBuilder(16).Append('x', offset);
            for (var i = 0; i < 400; i++) text.Append("🚗 \"").Append(i);
            texts.Add(text);
        }
        Assert.Contains(texts, t => Chunks(t).Count > 1 && Chunks(t).Any(c => c.Length > 0 && char.IsHighSurrogate(c.Span[^1])));

        await _temp.Db.GroupWriteAsync(async (conn, tx) =>
        {
            var hot = conn.Hot(tx, Insert, Columns);
            for (var n = 0; n < texts.Count; n++)
            {
                hot.Text(0, $"b-{n}"); hot.Text(1, texts[n]);
                await hot.RunAsync();
            }
            return 0;
        });
        var rows = await RowsAsync();
        for (var n = 0; n < texts.Count; n++) Assert.Equal(texts[n].ToString(), rows[$"b-{n}"].T);
    }

    private static List<ReadOnlyMemory<char>> Chunks(StringBuilder text)
    {
        var chunks = new List<ReadOnlyMemory<char>>();
        foreach (var chunk in text.GetChunks()) chunks.Add(chunk);
        return chunks;
    }

    [Fact]
    public async Task Each_use_starts_with_every_value_null_and_a_value_stays_bound_across_runs()
    {
        var db = _temp.Db;
        await db.GroupWriteAsync(async (conn, tx) =>
        {
            var hot = conn.Hot(tx, Insert, Columns);
            hot.Text(1, "shared"); hot.Integer(2, 5); hot.Real(3, 2.5);
            hot.Text(0, "a"); await hot.RunAsync();
            hot.Text(0, "b"); await hot.RunAsync();
            hot = conn.Hot(tx, Insert, Columns);
            hot.Text(0, "c"); await hot.RunAsync();
            return 0;
        });
        var rows = await RowsAsync();
        Assert.Equal(("shared", 5L, 2.5), (rows["b"].T, rows["b"].I, rows["b"].R));
        Assert.Equal(((string?)null, (long?)null, (double?)null), (rows["c"].T, rows["c"].I, rows["c"].R));
    }

    [Fact]
    public async Task A_failing_step_fails_its_item_alone_and_the_statement_goes_on_in_the_redo()
    {
        var db = _temp.Db;
        await db.GroupWriteAsync((conn, tx) => conn.ExecuteAsync("INSERT INTO hot_rows (id) VALUES ('taken')", transaction: tx));
        // 1, 2 and 4 write two rows each; 3 writes one, then clashes with 'taken' in the middle of the statement's use.
        var items = await GroupBatch.InOneBatchAsync(db, (_, _) => Task.FromResult(0), () => Enumerable.Range(1, 4).Select(n => db.GroupWriteAsync(async (conn, tx) =>
        {
            var hot = conn.Hot(tx, Insert, Columns);
            hot.Integer(2, n);
            hot.Text(0, $"{n}-a"); await hot.RunAsync();
            hot.Text(0, n == 3 ? "taken" : $"{n}-b"); await hot.RunAsync();
            return n;
        })).ToList(), 4);

        var clash = await Assert.ThrowsAsync<SqliteException>(() => items[2]);
        Assert.Equal(19, clash.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Contains("UNIQUE", clash.Message);
        Assert.Equal(new[] { 1, 2, 4 }, await Task.WhenAll(items[0], items[1], items[3]));
        var rows = await RowsAsync();
        Assert.Equal(["1-a", "1-b", "2-a", "2-b", "4-a", "4-b", "taken"], rows.Keys.Order());
        Assert.Equal(4L, rows["4-b"].I);
        // And the next batch uses the same statement as if nothing had happened.
        await db.GroupWriteAsync(async (conn, tx) =>
        {
            var hot = conn.Hot(tx, Insert, Columns);
            hot.Text(0, "after"); await hot.RunAsync();
            return 0;
        });
        Assert.Contains("after", (await RowsAsync()).Keys);
    }

    [Fact]
    public async Task Closing_the_connection_finalizes_its_statements_and_a_reopened_one_prepares_them_again()
    {
        var db = _temp.Db;
        SQLitePCL.sqlite3 handle;
        int before;
        await using (var conn = (SqliteConnection)await db.OpenAsync())
        {
            handle = conn.Handle!;
            before = StatementMemory(handle);
            await using var tx = await conn.BeginTransactionAsync();
            var hot = conn.Hot(tx, Insert, Columns);
            hot.Text(0, "first"); await hot.RunAsync();
            Assert.True(StatementMemory(handle) > before);
            await tx.CommitAsync();
        }
        // Pooled: the handle lives on, without the statement.
        Assert.Equal(before, StatementMemory(handle));
        await using (var conn = (SqliteConnection)await db.OpenAsync())
        {
            await using var tx = await conn.BeginTransactionAsync();
            var hot = conn.Hot(tx, Insert, Columns);
            hot.Text(0, "second"); await hot.RunAsync();
            await tx.CommitAsync();
        }
        Assert.Equal(["first", "second"], (await RowsAsync()).Keys.Order());
    }

    [Fact]
    public async Task A_parameter_name_missing_from_the_statement_is_refused()
    {
        await using var conn = await _temp.Db.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var e = Assert.Throws<ArgumentException>(() => conn.Hot(tx, Insert, ["id", "t", "nope", "r"]));
        Assert.Contains("@nope", e.Message);
    }

    /// <summary>SQLITE_DBSTATUS_STMT_USED: the memory of the handle's prepared statements.</summary>
    private static int StatementMemory(SQLitePCL.sqlite3 handle)
    {
        Assert.Equal(0, SQLitePCL.raw.sqlite3_db_status(handle, 3, out var current, out _, 0));
        return current;
    }

    private sealed record Row(string Id, string? T, long? I, double? R);

    private async Task<Dictionary<string, Row>> RowsAsync() =>
        (await _temp.Db.ReadAsync(conn => conn.QueryAsync<Row>("SELECT id AS Id, t AS T, i AS I, r AS R FROM hot_rows")))
        .ToDictionary(r => r.Id);
}
