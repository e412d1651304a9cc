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
    public static Task ApplyAsync(Database db) => ApplyAsync(db, before: null);

    /// <param name="before">Apply only the scripts whose names sort before this (for tests of an upgrade: a store as an
    /// older version left it).</param>
    public static async Task ApplyAsync(Database db, string? before)
    {
        await db.Dialect.BeforeMigrationsAsync(db);
        // In a write transaction: nodes starting together on one PostgreSQL take turns (the writers' lock).
        await db.WriteAsync((conn, tx) => conn.ExecuteAsync(
            db.Dialect.Migration("CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied TEXT NOT NULL)"), transaction: tx));

        var assembly = typeof(Migrations).Assembly;
        var scripts = assembly.GetManifestResourceNames()
            .Where(n => n.EndsWith(".sql", StringComparison.Ordinal) && n.Contains(".Migrations.", StringComparison.Ordinal))
            .Where(n => before is null || string.CompareOrdinal(n.Split(".Migrations.")[1], before) < 0)
            .OrderBy(n => n, StringComparer.Ordinal);

        var applied = 0;
        var views = new List<(string Name, string Definition)>();
        foreach (var resource in scripts)
        {
            var version = resource.Split(".Migrations.")[1];
            var script = Read(assembly, resource);
            foreach (System.Text.RegularExpressions.Match view in ViewDefinition.Matches(script))
            {
                // A later definition replaces the earlier one, and takes its place in the order.
                views.RemoveAll(v => string.Equals(v.Name, view.Groups[1].Value, StringComparison.OrdinalIgnoreCase));
                views.Add((view.Groups[1].Value, view.Value));
            }
            applied += await db.WriteAsync(async (conn, tx) =>
            {
                var done = await conn.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM schema_migrations WHERE version = @version", new { version }, tx);
                if (done > 0) return 0;
                await conn.ExecuteAsync(db.Dialect.Migration(script), transaction: tx);
                await conn.ExecuteAsync("INSERT INTO schema_migrations (version, applied) VALUES (@version, @applied)",
                    new { version, applied = DateTimeOffset.UtcNow.ToString("O") }, tx);
                return 1;
            });
        }
        if (applied > 0 && db.Dialect.ViewsFreezeColumns) await RecreateViewsAsync(db, views);
    }

    private static readonly System.Text.RegularExpressions.Regex ViewDefinition = new(
        @"CREATE\s+VIEW\s+(\w+)\s+AS\s+[^;]*;", System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    /// <summary>
    /// PostgreSQL expands a view's "SELECT *" when the view is created, SQLite whenever it is read: a column added to
    /// the table later (ALTER TABLE ADD COLUMN) would be missing from the view. After migrations changed anything, every
    /// view is created again from its latest definition, in file order (CASCADE drops views built on it; they follow).
    /// </summary>
    private static Task RecreateViewsAsync(Database db, List<(string Name, string Definition)> views) => db.WriteAsync(async (conn, tx) =>
    {
        foreach (var (name, definition) in views)
            await conn.ExecuteAsync(db.Dialect.Migration($"DROP VIEW IF EXISTS {name} CASCADE; {definition}"), transaction: tx);
    });

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
