using Npgsql;

namespace Cms.Core.Storage.Postgres;

/// <summary>The Npgsql data source (its pool) behind a PostgreSQL store.</summary>
public static class PgDataSource
{
    public static NpgsqlDataSource Create(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        // The store runs the same few hundred statements all day: let Npgsql prepare the frequent ones (PreparedStatements
        // does this explicitly on SQLite). An operator's own "Max Auto Prepare" wins.
        if (settings.MaxAutoPrepare == 0) settings.MaxAutoPrepare = 256;
        return new NpgsqlDataSourceBuilder(settings.ConnectionString).Build();
    }
}
