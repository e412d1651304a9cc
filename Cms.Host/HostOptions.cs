namespace Cms.Host;

/// <summary>Where AmpCMS keeps its data: config "Storage:Path", else env AMPCMS_DB, else data/ampcms.db.</summary>
public static class StorageLocation
{
    public static string DatabasePath(IConfiguration config) =>
        config["Storage:Path"] is { Length: > 0 } configured ? configured
        : Environment.GetEnvironmentVariable("AMPCMS_DB") is { Length: > 0 } env ? env
        : Path.Combine("data", "ampcms.db");
}

/// <summary>The PostgreSQL store, when configured: config "Storage:Postgres", else env AMPCMS_POSTGRES (a connection string).</summary>
public static class PostgresStore
{
    public static string? ConnectionString(IConfiguration config) =>
        config["Storage:Postgres"] is { Length: > 0 } configured ? configured
        : Environment.GetEnvironmentVariable("AMPCMS_POSTGRES") is { Length: > 0 } env ? env
        : null;
}
