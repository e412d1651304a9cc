using System.Data;
using System.Data.Common;
using Npgsql;

namespace Cms.Core.Storage.Postgres;

/// <summary>
/// An Npgsql connection as the store's code sees it: commands have their SQL translated (<see cref="PostgresSql"/>),
/// their parameters and results typed the SQLite way (<see cref="PgStoreCommand"/>, <see cref="PgStoreReader"/>).
/// Its type name is deliberately not "NpgsqlConnection": Dapper then expands <c>IN @list</c> into one parameter per
/// item, as on SQLite, instead of binding an array that only <c>= ANY(@list)</c> would accept.
/// </summary>
public sealed class PgStoreConnection(NpgsqlConnection inner) : DbConnection
{
    public NpgsqlConnection Inner { get; } = inner;

    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string ConnectionString
    {
        get => Inner.ConnectionString;
        set => Inner.ConnectionString = value;
    }

    public override string Database => Inner.Database;
    public override string DataSource => Inner.DataSource;
    public override string ServerVersion => Inner.ServerVersion;
    public override ConnectionState State => Inner.State;
    public override void ChangeDatabase(string databaseName) => Inner.ChangeDatabase(databaseName);
    public override void Open() => Inner.Open();
    public override Task OpenAsync(CancellationToken cancellationToken) => Inner.OpenAsync(cancellationToken);
    public override void Close() => Inner.Close();
    public override Task CloseAsync() => Inner.CloseAsync();

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) =>
        new PgStoreTransaction(this, Inner.BeginTransaction(isolationLevel));

    protected override async ValueTask<DbTransaction> BeginDbTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken) =>
        new PgStoreTransaction(this, await Inner.BeginTransactionAsync(isolationLevel, cancellationToken));

    protected override DbCommand CreateDbCommand() => new PgStoreCommand(this, Inner.CreateCommand());

    protected override void Dispose(bool disposing)
    {
        if (disposing) Inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await Inner.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>The Npgsql transaction behind a <see cref="PgStoreConnection"/>; savepoints included (group commit uses them).</summary>
public sealed class PgStoreTransaction(PgStoreConnection connection, NpgsqlTransaction inner) : DbTransaction
{
    public NpgsqlTransaction Inner { get; } = inner;
    protected override DbConnection DbConnection => connection;
    public override IsolationLevel IsolationLevel => Inner.IsolationLevel;
    public override bool SupportsSavepoints => true;
    public override void Commit() => Inner.Commit();
    public override Task CommitAsync(CancellationToken cancellationToken = default) => Inner.CommitAsync(cancellationToken);
    public override void Rollback() => Inner.Rollback();
    public override Task RollbackAsync(CancellationToken cancellationToken = default) => Inner.RollbackAsync(cancellationToken);
    public override void Save(string savepointName) => Inner.Save(savepointName);
    public override Task SaveAsync(string savepointName, CancellationToken cancellationToken = default) => Inner.SaveAsync(savepointName, cancellationToken);
    public override void Rollback(string savepointName) => Inner.Rollback(savepointName);
    public override Task RollbackAsync(string savepointName, CancellationToken cancellationToken = default) => Inner.RollbackAsync(savepointName, cancellationToken);
    public override void Release(string savepointName) => Inner.Release(savepointName);
    public override Task ReleaseAsync(string savepointName, CancellationToken cancellationToken = default) => Inner.ReleaseAsync(savepointName, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing) Inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await Inner.DisposeAsync();
        await base.DisposeAsync();
    }
}
