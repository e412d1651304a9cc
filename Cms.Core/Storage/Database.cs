using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Cms.Core.Storage;

/// <summary>
/// The SQLite store: one file in WAL mode, migrations applied at start, writes serialized
/// through one lock so concurrent requests never meet SQLITE_BUSY.
/// </summary>
public sealed class Database
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public Database(string path)
    {
        Path = path;
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
        }.ToString();
    }

    public string Path { get; }

    public async Task<DbConnection> OpenAsync()
    {
        var conn = new SqliteConnection(_connectionString);
        await conn.OpenAsync();
        using var cmd = conn.CreateCommand();
        // synchronous=NORMAL is SQLite's recommended pairing with WAL: a commit survives a process crash; only a power
        // loss can take the last commits. It saves an fsync per commit on the charger hot path.
        cmd.CommandText = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;";
        await cmd.ExecuteNonQueryAsync();
        return conn;
    }

    public async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work)
    {
        await using var conn = await OpenAsync();
        return await work(conn);
    }

    /// <summary>Runs the work in one transaction: all of it is stored or none.</summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work)
    {
        await _writeLock.WaitAsync();
        try
        {
            await using var conn = await OpenAsync();
            await using var tx = await conn.BeginTransactionAsync();
            var result = await work(conn, tx);
            await tx.CommitAsync();
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public Task WriteAsync(Func<DbConnection, DbTransaction, Task> work) =>
        WriteAsync<bool>(async (c, t) => { await work(c, t); return true; });

    public Task MigrateAsync() => Migrations.ApplyAsync(this);

    public async Task<bool> IsHealthyAsync()
    {
        try
        {
            await using var conn = await OpenAsync();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = "SELECT 1";
            return Convert.ToInt64(await cmd.ExecuteScalarAsync()) == 1;
        }
        catch (SqliteException)
        {
            return false;
        }
    }
}
