using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cms.Core.Storage;

/// <summary>
/// The store: a SQLite file in WAL mode by default, or a PostgreSQL database (<see cref="Database(string, string?)"/>);
/// migrations applied at start, writes serialized through one lock (<see cref="WriteLock"/>) so concurrent requests never
/// meet SQLITE_BUSY (on PostgreSQL each write transaction also takes an advisory lock first, so writers of every node take turns: see
/// <see cref="SqlDialect.LockWritersAsync"/>). Checkpoints run in the background (every <see cref="CheckpointEveryPages"/>
/// WAL pages or <see cref="CheckpointEvery"/> commits), not inside a committing request: SQLite's automatic checkpoint
/// (every 1000 pages by default) would make whichever charger message commits at that moment wait for the copy and its
/// two fsyncs.
/// </summary>
public sealed partial class Database : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly WriteLock _writeLock = new();
    private const int CheckpointEvery = 500;
    /// <summary>WAL pages (~8 MB) committed since the last background checkpoint began at which the next one begins. Counting
    /// commits alone let a run of large ones (journal move parts, stored optimization runs: 500-900 pages each) take the
    /// WAL past <see cref="FallbackCheckpointPages"/> first; SQLite then checkpointed inside that commit, under the write
    /// lock, with two fsyncs (traced: 60-170 ms on ext4 under load, the 100-connector loop's outliers).</summary>
    private const int CheckpointEveryPages = 2_000;
    /// <summary>The WAL size (pages, ~16 MB) from which a background checkpoint tries to let the WAL start over: it
    /// repeats its pass until one finds nothing left to copy, so the next commit can rewrite the WAL from its beginning
    /// (unless a reader still holds part of it).</summary>
    private const int RestartWalPages = 4_000;
    /// <summary>The WAL size (pages, ~32 MB) from which, if those passes never catch up with the commits, the last pass
    /// runs under the write lock (writers wait for its two fsyncs: 10-200 ms on this box's disk under load).</summary>
    private const int LockedRestartPages = 8_000;
    /// <summary>Passes a checkpoint makes to catch up with the commits before it gives up (or takes the lock).</summary>
    private const int RestartPasses = 8;
    /// <summary>SQLite checkpoints inside a commit only if the background checkpoints fall this far (~64 MB) behind.</summary>
    private const int FallbackCheckpointPages = 16_000;
    private static readonly object Configured = new();
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> _configured = new();
    private int _commitsSinceCheckpoint;
    private long _walPagesSinceCheckpoint;
    private int _checkpointing;

    private readonly NpgsqlDataSource? _postgres;

    /// <summary>A SQLite store in the file <paramref name="path"/>.</summary>
    public Database(string path) : this(path, null) { }

    /// <summary>
    /// A PostgreSQL store when <paramref name="postgresConnectionString"/> is given, else SQLite at <paramref name="path"/>.
    /// With PostgreSQL, <paramref name="path"/> still names the data directory, where files the store points at live.
    /// </summary>
    public Database(string path, string? postgresConnectionString)
    {
        Path = path;
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir); // the data directory, whichever the engine
        if (!string.IsNullOrWhiteSpace(postgresConnectionString))
        {
            Dialect = SqlDialect.Postgres;
            _postgres = Postgres.PgDataSource.Create(postgresConnectionString);
            _connectionString = "";
            return;
        }
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
        }.ToString();
    }

    public string Path { get; }

    /// <summary>The PostgreSQL data source (null on SQLite): for what the store's SQL does not cover, e.g. LISTEN/NOTIFY between nodes.</summary>
    public NpgsqlDataSource? PostgresDataSource => _postgres;

    /// <summary>A writer other than a background one is queued for the write lock (diagnostics, and tests that line writers up).</summary>
    public bool WritersWaiting => _writeLock.Waiting > 0;

    /// <summary>Which engine this store runs on, and what differs between them.</summary>
    public SqlDialect Dialect { get; } = SqlDialect.Sqlite;

    public async Task<DbConnection> OpenAsync()
    {
        if (_postgres is not null) return new Postgres.PgStoreConnection(await _postgres.OpenConnectionAsync());
        var conn = new SqliteConnection(_connectionString);
        await conn.OpenAsync();
        // Pooled connections keep their settings: configure each SQLite handle once, not on every open of the hot path.
        if (_configured.TryGetValue(conn.Handle!, out _)) return conn;
        using var cmd = conn.CreateCommand();
        // synchronous=NORMAL is SQLite's recommended pairing with WAL: a commit survives a process crash; only a power
        // loss can take the last commits. It saves an fsync per commit on the charger hot path.
        cmd.CommandText = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL; " +
            $"PRAGMA wal_autocheckpoint = {FallbackCheckpointPages};";
        await cmd.ExecuteNonQueryAsync();
        _configured.AddOrUpdate(conn.Handle!, Configured);
        return conn;
    }

    public async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work)
    {
        await DeferredBarrierAsync();
        await using var conn = await OpenAsync();
        return await work(conn);
    }

    /// <summary>Runs the work in one transaction: all of it is stored or none.</summary>
    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work) => WriteAsync(work, background: false);

    /// <param name="background">Bookkeeping nobody waits for (a stored optimization run, delivery state): every other
    /// writer queued for the lock goes first (see <see cref="WriteLock"/>).</param>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, bool background)
    {
        await DeferredBarrierAsync();
        var waitStart = System.Diagnostics.Stopwatch.GetTimestamp();
        await _writeLock.WaitAsync(background);
        InsideWrite.Value = true;
        Diagnostics.AmpMetrics.WriteLockWaited(waitStart);
        if (Diagnostics.LoopTrace.On)
            Diagnostics.LoopTrace.Mark("lock.write", System.Diagnostics.Stopwatch.GetElapsedTime(waitStart).TotalMilliseconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture));
        long walPages = 0;
        try
        {
            await using var conn = await OpenAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await Dialect.LockWritersAsync(conn, tx);
            var result = await work(conn, tx);
            await tx.CommitAsync();
            walPages = WalPagesWritten(conn);
            return result;
        }
        finally
        {
            _writeLock.Release();
            CountCommit(walPages);
        }
    }

    /// <summary>Counts a commit and the WAL pages it wrote; starts a background checkpoint when either count is due.</summary>
    private void CountCommit(long walPages)
    {
        if (_postgres is not null) return; // PostgreSQL checkpoints on its own
        var pages = Interlocked.Add(ref _walPagesSinceCheckpoint, walPages);
        if (Interlocked.Increment(ref _commitsSinceCheckpoint) >= CheckpointEvery || pages >= CheckpointEveryPages) StartCheckpoint();
    }

    /// <summary>Pages the connection wrote to the WAL since the last call (SQLite's CACHE_WRITE status, read and reset);
    /// 0 on PostgreSQL.</summary>
    private static long WalPagesWritten(DbConnection conn)
    {
        if (conn is not SqliteConnection { Handle: { } handle }) return 0;
        SQLitePCL.raw.sqlite3_db_status(handle, SQLitePCL.raw.SQLITE_DBSTATUS_CACHE_WRITE, out var pages, out _, 1);
        return pages;
    }

    /// <summary>
    /// A PASSIVE checkpoint on its own connection, outside the write lock: it never blocks writers (SQLite's WAL
    /// design). While commits keep arriving it never quite finishes, and only a finished one lets the next commit reuse
    /// the WAL from its beginning; a quiet moment lets that happen by itself. Once the WAL passes
    /// <see cref="RestartWalPages"/>, the checkpoint repeats its pass (each copies only what was committed during the
    /// last) until one finds the WAL fully copied; only if that fails and the WAL passes <see cref="LockedRestartPages"/>
    /// does a last pass run under the write lock, so the WAL starts over. One checkpoint at a time.
    /// </summary>
    private void StartCheckpoint()
    {
        if (Interlocked.Exchange(ref _checkpointing, 1) == 1) return;
        Interlocked.Exchange(ref _commitsSinceCheckpoint, 0);
        Interlocked.Exchange(ref _walPagesSinceCheckpoint, 0);
        // Its own thread: SQLite's calls block, and a busy thread pool must not postpone the checkpoint.
        new Thread(Checkpoint) { IsBackground = true, Name = "sqlite-checkpoint" }.Start();
    }

    private void Checkpoint()
    {
        try
        {
            using var conn = OpenAsync().GetAwaiter().GetResult();
            Diagnostics.LoopTrace.Mark("ckpt.begin");
            var (walPages, _) = WalCheckpoint(conn);
            Diagnostics.LoopTrace.Mark("ckpt.passive", walPages.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (walPages < RestartWalPages) return;
            for (var pass = 0; pass < RestartPasses; pass++)
            {
                var (nowPages, nowCopied) = WalCheckpoint(conn);
                // The WAL started over, or nothing was committed since the last pass and all of it is copied: the next
                // commit can start it over.
                if (nowPages < walPages || (nowPages == walPages && nowCopied == nowPages))
                {
                    Diagnostics.LoopTrace.Mark("ckpt.caught", pass.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    return;
                }
                walPages = nowPages;
            }
            if (walPages < LockedRestartPages) return;
            _writeLock.Wait();
            Diagnostics.LoopTrace.Mark("ckpt.locked");
            try { WalCheckpoint(conn); }
            finally { _writeLock.Release(); Diagnostics.LoopTrace.Mark("ckpt.done"); }
        }
        catch (SqliteException)
        {
            // A busy or failed checkpoint is retried after the next CheckpointEveryPages pages or CheckpointEvery commits;
            // the WAL just grows meanwhile.
        }
        finally
        {
            Volatile.Write(ref _checkpointing, 0);
        }
    }

    /// <summary>Runs a PASSIVE checkpoint; returns how many pages the WAL holds and how many of them are copied.</summary>
    private static (long WalPages, long Copied) WalCheckpoint(DbConnection conn)
    {
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        using var result = cmd.ExecuteReader();
        return result.Read() ? (result.GetInt64(1), result.GetInt64(2)) : (0, 0);
    }

    public Task WriteAsync(Func<DbConnection, DbTransaction, Task> work) => WriteAsync(work, background: false);

    public Task WriteAsync(Func<DbConnection, DbTransaction, Task> work, bool background) =>
        WriteAsync<bool>(async (c, t) => { await work(c, t); return true; }, background);

    public Task MigrateAsync() => Migrations.ApplyAsync(this);

    /// <summary>Commits the deferred writes (what cannot be stays in their log for the next start), and closes
    /// PostgreSQL's pooled connections (SQLite's pool is process-wide and needs nothing).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_deferred is IAsyncDisposable deferred) await deferred.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
    }

    public async Task<bool> IsHealthyAsync()
    {
        try
        {
            await using var conn = await OpenAsync();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = "SELECT 1";
            return Convert.ToInt64(await cmd.ExecuteScalarAsync()) == 1;
        }
        catch (DbException)
        {
            return false;
        }
    }
}
