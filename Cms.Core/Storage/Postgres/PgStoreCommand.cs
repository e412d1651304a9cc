using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Npgsql;

namespace Cms.Core.Storage.Postgres;

/// <summary>
/// An Npgsql command that reads SQL written for the store (translated once per text by <see cref="PostgresSql"/>) and
/// binds values the way SQLite stores them: booleans as 0/1 integers, DateTimeOffset as text (and NUL in text as U+FFFD,
/// which PostgreSQL's text cannot hold). Explicit Prepare is left to
/// Npgsql's automatic preparation (set on the data source), which also re-prepares when parameter types change.
/// </summary>
public sealed class PgStoreCommand(PgStoreConnection connection, NpgsqlCommand inner) : DbCommand
{
    private PgStoreConnection? _connection = connection;
    private PgStoreTransaction? _transaction;

    [AllowNull]
    public override string CommandText
    {
        get => inner.CommandText;
        set => inner.CommandText = value is null ? "" : PostgresSql.Query(value);
    }

    public override int CommandTimeout { get => inner.CommandTimeout; set => inner.CommandTimeout = value; }
    public override CommandType CommandType { get => inner.CommandType; set => inner.CommandType = value; }
    public override bool DesignTimeVisible { get => false; set { } }
    public override UpdateRowSource UpdatedRowSource { get => inner.UpdatedRowSource; set => inner.UpdatedRowSource = value; }
    protected override DbParameterCollection DbParameterCollection => inner.Parameters;

    protected override DbConnection? DbConnection
    {
        get => _connection;
        set
        {
            _connection = (PgStoreConnection?)value;
            inner.Connection = _connection?.Inner;
        }
    }

    protected override DbTransaction? DbTransaction
    {
        get => _transaction;
        set
        {
            _transaction = (PgStoreTransaction?)value;
            inner.Transaction = _transaction?.Inner;
        }
    }

    public override void Cancel() => inner.Cancel();
    public override void Prepare() { }
    protected override DbParameter CreateDbParameter() => inner.CreateParameter();

    public override int ExecuteNonQuery()
    {
        BindSqliteWay();
        return inner.ExecuteNonQuery();
    }

    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
    {
        BindSqliteWay();
        return inner.ExecuteNonQueryAsync(cancellationToken);
    }

    public override object? ExecuteScalar()
    {
        BindSqliteWay();
        return PgStoreReader.SqliteValue(inner.ExecuteScalar());
    }

    public override async Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
    {
        BindSqliteWay();
        return PgStoreReader.SqliteValue(await inner.ExecuteScalarAsync(cancellationToken));
    }

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
    {
        BindSqliteWay();
        return new PgStoreReader(inner.ExecuteReader(behavior));
    }

    protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
    {
        BindSqliteWay();
        return new PgStoreReader(await inner.ExecuteReaderAsync(behavior, cancellationToken));
    }

    /// <summary>The store's columns are INTEGER and TEXT where C# has bool and DateTimeOffset (SQLite converts on its own).</summary>
    private void BindSqliteWay()
    {
        foreach (NpgsqlParameter p in inner.Parameters)
        {
            switch (p.Value)
            {
                case bool b:
                    p.DbType = DbType.Int64;
                    p.Value = b ? 1L : 0L;
                    break;
                case DateTimeOffset t:
                    p.DbType = DbType.String;
                    p.Value = t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case Guid g:
                    p.DbType = DbType.String;
                    p.Value = g.ToString();
                    break;
                case string s when s.Contains('\0'):
                    // PostgreSQL text cannot hold NUL (SQLite's can): a charger's garbage frame is kept with U+FFFD there.
                    p.Value = s.Replace('\0', '\uFFFD');
                    break;
                case char ch:
                    p.DbType = DbType.String;
                    p.Value = ch.ToString();
                    break;
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
