using System.Data.Common;
using Cms.Core.Storage.Postgres;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cms.Core.Storage;

/// <summary>
/// The few things SQLite and PostgreSQL do differently, in one place. Everything else is one SQL text for both: the
/// store writes portable SQL, and on PostgreSQL <see cref="PostgresSql"/> quotes camelCase names and maps the types
/// mechanically (see there). Ask <see cref="Of"/> with a connection, or <see cref="Database.Dialect"/>.
/// </summary>
public abstract class SqlDialect
{
    public static readonly SqlDialect Sqlite = new SqliteDialect();
    public static readonly SqlDialect Postgres = new PostgresDialect();

    public static SqlDialect Of(DbConnection conn) => conn is PgStoreConnection ? Postgres : Sqlite;

    public abstract string Name { get; }
    public bool IsPostgres => this is PostgresDialect;

    /// <summary>A migration file (written in the portable subset, SQLite's types) as this engine runs it.</summary>
    public abstract string Migration(string sql);

    /// <summary>
    /// Run once per start before migrations: SQLite's WAL mode (a property of the file); on PostgreSQL the few SQLite
    /// functions the store's SQL uses, as PostgreSQL functions of the same name (<see cref="PostgresFunctions"/>).
    /// </summary>
    public abstract Task BeforeMigrationsAsync(Database db);

    /// <summary>A view's "SELECT *" is fixed when the view is created (PostgreSQL), not when it is read (SQLite).</summary>
    public bool ViewsFreezeColumns => IsPostgres;

    /// <summary>COUNT(*) of tables named @name in the store.</summary>
    public abstract string TableExistsSql { get; }

    /// <summary>A constraint the services' own checks should have caught first (a unique key, a reference), on either
    /// engine: the request conflicts with what is stored. Nothing was written (the transaction rolled back).</summary>
    public static bool IsConstraintViolation(Exception e) =>
        Sqlite.IsUniqueViolation(e) || Sqlite.IsForeignKeyViolation(e) || Postgres.IsUniqueViolation(e) || Postgres.IsForeignKeyViolation(e);

    /// <summary>An INSERT or UPDATE hit a UNIQUE constraint or a unique index.</summary>
    public abstract bool IsUniqueViolation(Exception e);

    /// <summary>A write referenced a row that does not exist (or a delete left rows pointing at it).</summary>
    public abstract bool IsForeignKeyViolation(Exception e);

    /// <summary>
    /// Run first in every write transaction: what makes writers take turns across processes (see Database). A group
    /// commit takes it <paramref name="shared"/>: its items are one charger's appends and row updates (meter values,
    /// statuses, the message log), a charger is held by one node, and no item reads to decide what another node may
    /// write; so group commits of different nodes may run together, while every other writer still runs alone.
    /// </summary>
    public abstract Task LockWritersAsync(DbConnection conn, DbTransaction tx, bool shared = false);

    private sealed class SqliteDialect : SqlDialect
    {
        // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY and SQLITE_CONSTRAINT_FOREIGNKEY.
        private const int Unique = 2067, PrimaryKey = 1555, ForeignKey = 787;
        public override string Name => "sqlite";
        public override string Migration(string sql) => sql;
        public override async Task BeforeMigrationsAsync(Database db)
        {
            await using var conn = await db.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = "PRAGMA journal_mode = WAL;"; // not inside a transaction: SQLite refuses to switch there
            await cmd.ExecuteNonQueryAsync();
        }
        public override string TableExistsSql => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @name";
        public override bool IsUniqueViolation(Exception e) => e is SqliteException { SqliteExtendedErrorCode: Unique or PrimaryKey };
        public override bool IsForeignKeyViolation(Exception e) => e is SqliteException { SqliteExtendedErrorCode: ForeignKey };
        // One process owns the file; Database's own write lock is the whole story.
        public override Task LockWritersAsync(DbConnection conn, DbTransaction tx, bool shared = false) => Task.CompletedTask;
    }

    private sealed class PostgresDialect : SqlDialect
    {
        /// <summary>The advisory lock every write transaction holds: "AmpWrite" in ASCII.</summary>
        public const long WriteLockKey = 0x416D705772697465;
        public override string Name => "postgresql";
        public override string Migration(string sql) => PostgresSql.Migration(sql);
        public override Task BeforeMigrationsAsync(Database db) => db.WriteAsync(async (conn, tx) =>
        {
            await using var cmd = conn.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = PostgresFunctions.Sql;
            await cmd.ExecuteNonQueryAsync();
        });
        public override string TableExistsSql =>
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @name";
        public override bool IsUniqueViolation(Exception e) => e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
        public override bool IsForeignKeyViolation(Exception e) => e is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation };

        public override async Task LockWritersAsync(DbConnection conn, DbTransaction tx, bool shared = false)
        {
            await using var cmd = conn.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = shared ? $"SELECT pg_advisory_xact_lock_shared({WriteLockKey})" : $"SELECT pg_advisory_xact_lock({WriteLockKey})";
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
