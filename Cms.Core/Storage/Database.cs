using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Cms.Core.Storage;

/// <summary>
/// The SQLite store: one file in WAL mode, migrations applied at start, writes serialized
/// through one lock so concurrent requests never meet SQLITE_BUSY. Checkpoints run in the background
/// (<see cref="CheckpointEvery"/> commits), not inside a committing request: SQLite's automatic checkpoint (every 1000
/// pages by default) would make whichever charger message commits at that moment wait for the copy and its fsync.
/// </summary>
public sealed class Database
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private const int CheckpointEvery = 500;
    /// <summary>SQLite checkpoints inside a commit only if the background checkpoints fall this far (~40 MB) behind.</summary>
    private const int FallbackCheckpointPages = 10_000;
    private int _commitsSinceCheckpoint;
    private int _checkpointing;

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
        cmd.CommandText = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL; " +
            $"PRAGMA wal_autocheckpoint = {FallbackCheckpointPages};";
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
            if (Interlocked.Increment(ref _commitsSinceCheckpoint) >= CheckpointEvery) StartCheckpoint();
        }
    }

    /// <summary>
    /// Checkpoints in two steps on its own connection. The bulk is a PASSIVE checkpoint outside the write lock: it never
    /// blocks writers (SQLite's WAL design). It cannot finish while commits keep arriving, and an unfinished checkpoint
    /// never lets the WAL start over, so a second one copies the few pages written meanwhile under the write lock; the
    /// next commit then reuses the WAL from its beginning. One checkpoint at a time.
    /// </summary>
    private void StartCheckpoint()
    {
        if (Interlocked.Exchange(ref _checkpointing, 1) == 1) return;
        Interlocked.Exchange(ref _commitsSinceCheckpoint, 0);
        _ = Task.Run(async () =>
        {
            try
            {
                await using var conn = await OpenAsync();
                await CheckpointAsync(conn);
                await _writeLock.WaitAsync();
                try { await CheckpointAsync(conn); }
                finally { _writeLock.Release(); }
            }
            catch (SqliteException)
            {
                // A busy or failed checkpoint is retried after the next CheckpointEvery commits; the WAL just grows meanwhile.
            }
            finally
            {
                Volatile.Write(ref _checkpointing, 0);
            }
        });
    }

    private static async Task CheckpointAsync(DbConnection conn)
    {
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        await cmd.ExecuteNonQueryAsync();
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
