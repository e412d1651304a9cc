using System.Reflection;
using Dapper;

namespace Cms.Core.Storage;

/// <summary>
/// Applies the embedded numbered SQL files (001_*.sql, 002_*.sql, …) not yet recorded in schema_migrations. One set of
/// files for both engines: written in the portable subset with SQLite's types, translated for PostgreSQL as applied
/// (<see cref="SqlDialect.Migration"/>). Each file runs in its own transaction (PostgreSQL's DDL is transactional too).
/// </summary>
public static class Migrations
{
    public static async Task ApplyAsync(Database db)
    {
        await db.Dialect.BeforeMigrationsAsync(db);
        // In a write transaction: nodes starting together on one PostgreSQL take turns (the writers' lock).
        await db.WriteAsync((conn, tx) => conn.ExecuteAsync(
            db.Dialect.Migration("CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied TEXT NOT NULL)"), transaction: tx));

        var assembly = typeof(Migrations).Assembly;
        var scripts = assembly.GetManifestResourceNames()
            .Where(n => n.EndsWith(".sql", StringComparison.Ordinal) && n.Contains(".Migrations.", StringComparison.Ordinal))
            .OrderBy(n => n, StringComparer.Ordinal);

        foreach (var resource in scripts)
        {
            var version = resource.Split(".Migrations.")[1];
            await db.WriteAsync(async (conn, tx) =>
            {
                var done = await conn.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM schema_migrations WHERE version = @version", new { version }, tx);
                if (done > 0) return;
                await conn.ExecuteAsync(db.Dialect.Migration(Read(assembly, resource)), transaction: tx);
                await conn.ExecuteAsync("INSERT INTO schema_migrations (version, applied) VALUES (@version, @applied)",
                    new { version, applied = DateTimeOffset.UtcNow.ToString("O") }, tx);
            });
        }
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
