using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Cms.Core.Storage;

/// <summary>
/// A statement of the hot path (the group writer's journal inserts and session updates), bound by index with typed
/// values: index i is the i-th of the parameter names it was made with. Every index starts NULL on each
/// <see cref="HotStatements.Hot"/>; a value bound stays bound across runs until bound again.
/// </summary>
public abstract class HotStatement
{
    public abstract void Text(int index, string? value);
    /// <summary>A text value from a builder, read where it is (a long text, built per run: no string of it).</summary>
    public abstract void Text(int index, StringBuilder value);
    public abstract void Integer(int index, long? value);
    public abstract void Real(int index, double? value);
    /// <summary>Runs the statement once with the values bound (an INSERT or UPDATE: no rows come back).</summary>
    public abstract ValueTask RunAsync();
}

/// <summary>
/// Where the hot statements come from. On SQLite they bypass Microsoft.Data.Sqlite's command: it rebinds every parameter
/// of a prepared command on each execution, inferring each value's type, and wraps each step in a reader (Bind alone was
/// 5 % of the host's CPU at ~70 parameters per MeterValues message). Here a statement is prepared once per connection
/// with SQLitePCL, bound by index with typed binds and reset after each step; it is finalized when its connection
/// closes. On PostgreSQL it is the provider's prepared command (<see cref="PreparedStatements"/>), as before.
/// </summary>
public static class HotStatements
{
    private static readonly ConditionalWeakTable<DbConnection, Dictionary<string, SqliteHotStatement>> Cache = new();

    /// <summary>The statement for this SQL on this connection, every value NULL, prepared on first use. Never dispose it.</summary>
    public static HotStatement Hot(this DbConnection conn, DbTransaction tx, string sql, IReadOnlyList<string> parameterNames)
    {
        if (conn is not SqliteConnection sqlite) return new CommandHotStatement(conn.Prepared(tx, sql, parameterNames));
        if (!Cache.TryGetValue(conn, out var statements))
        {
            statements = [];
            Cache.Add(conn, statements);
            sqlite.StateChange += Closed;
        }
        if (!statements.TryGetValue(sql, out var statement))
            statements[sql] = statement = new SqliteHotStatement(sqlite.Handle ?? throw new InvalidOperationException("connection is not open"),
                sql, parameterNames);
        else statement.ClearBindings();
        return statement;
    }

    /// <summary>Finalizes the connection's statements (before it closes, or when it has closed: pooled, its handle lives on).</summary>
    public static void Release(DbConnection conn)
    {
        if (!Cache.TryGetValue(conn, out var statements)) return;
        Cache.Remove(conn);
        if (conn is SqliteConnection sqlite) sqlite.StateChange -= Closed;
        foreach (var statement in statements.Values) statement.Dispose();
    }

    private static void Closed(object? sender, System.Data.StateChangeEventArgs e)
    {
        if (e.CurrentState == System.Data.ConnectionState.Closed && sender is DbConnection conn) Release(conn);
    }

    private sealed class CommandHotStatement(DbCommand cmd) : HotStatement
    {
        public override void Text(int index, string? value) => cmd.Parameters[index].Value = (object?)value ?? DBNull.Value;
        public override void Text(int index, StringBuilder value) => cmd.Parameters[index].Value = value.ToString();
        public override void Integer(int index, long? value) => cmd.Parameters[index].Value = (object?)value ?? DBNull.Value;
        public override void Real(int index, double? value) => cmd.Parameters[index].Value = (object?)value ?? DBNull.Value;
        public override async ValueTask RunAsync() => await cmd.ExecuteNonQueryAsync();
    }

    private sealed class SqliteHotStatement : HotStatement, IDisposable
    {
        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _stmt;
        /// <summary>SQLite's 1-based parameter index of each name, in the caller's order.</summary>
        private readonly int[] _index;
        /// <summary>The UTF-8 of a text value (SQLite copies it at bind time), reused.</summary>
        private byte[] _utf8 = new byte[256];
        private readonly Encoder _encoder = Encoding.UTF8.GetEncoder();

        public SqliteHotStatement(sqlite3 db, string sql, IReadOnlyList<string> parameterNames)
        {
            _db = db;
            Check(raw.sqlite3_prepare_v2(db, sql, out _stmt));
            _index = new int[parameterNames.Count];
            for (var i = 0; i < _index.Length; i++)
            {
                _index[i] = raw.sqlite3_bind_parameter_index(_stmt, "@" + parameterNames[i]);
                if (_index[i] != 0) continue;
                _stmt.Dispose();
                throw new ArgumentException($"parameter @{parameterNames[i]} is not in the statement", nameof(parameterNames));
            }
        }

        public void ClearBindings() => raw.sqlite3_clear_bindings(_stmt);

        public override void Text(int index, string? value)
        {
            if (value is null)
            {
                Check(raw.sqlite3_bind_null(_stmt, _index[index]));
                return;
            }
            if (value.Length == 0)
            {
                // An empty span is a NULL pointer to SQLite, which binds NULL: "" goes through the string overload.
                Check(raw.sqlite3_bind_text(_stmt, _index[index], ""));
                return;
            }
            var length = Encoding.UTF8.GetMaxByteCount(value.Length);
            if (length > _utf8.Length) _utf8 = new byte[Math.Max(length, _utf8.Length * 2)];
            var written = Encoding.UTF8.GetBytes(value, _utf8);
            Check(raw.sqlite3_bind_text(_stmt, _index[index], _utf8.AsSpan(0, written)));
        }

        public override void Text(int index, StringBuilder value)
        {
            if (value.Length == 0)
            {
                Text(index, "");
                return;
            }
            var length = 0;
            foreach (var chunk in value.GetChunks()) length += Encoding.UTF8.GetMaxByteCount(chunk.Length);
            if (length > _utf8.Length) _utf8 = new byte[Math.Max(length, _utf8.Length * 2)];
            // One encoder across the chunks: a surrogate pair split between two chunks is still one character.
            _encoder.Reset();
            var written = 0;
            foreach (var chunk in value.GetChunks()) written += _encoder.GetBytes(chunk.Span, _utf8.AsSpan(written), flush: false);
            written += _encoder.GetBytes([], _utf8.AsSpan(written), flush: true);
            Check(raw.sqlite3_bind_text(_stmt, _index[index], _utf8.AsSpan(0, written)));
        }

        public override void Integer(int index, long? value) =>
            Check(value is { } v ? raw.sqlite3_bind_int64(_stmt, _index[index], v) : raw.sqlite3_bind_null(_stmt, _index[index]));

        public override void Real(int index, double? value) =>
            Check(value is { } v ? raw.sqlite3_bind_double(_stmt, _index[index], v) : raw.sqlite3_bind_null(_stmt, _index[index]));

        public override ValueTask RunAsync()
        {
            var rc = raw.sqlite3_step(_stmt);
            if (rc is raw.SQLITE_DONE or raw.SQLITE_ROW)
            {
                raw.sqlite3_reset(_stmt);
                return default;
            }
            // The message is the connection's last error: read it before reset, which may set another.
            var failure = Failure(rc);
            raw.sqlite3_reset(_stmt);
            throw failure;
        }

        public void Dispose() => _stmt.Dispose();

        private void Check(int rc)
        {
            if (rc != raw.SQLITE_OK) throw Failure(rc);
        }

        /// <summary>The exception the provider would throw for this result code: the connection's last error message.</summary>
        private SqliteException Failure(int rc) => new(raw.sqlite3_errmsg(_db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(_db));
    }
}
