using Cms.Core.Storage;

namespace Cms.Core.Tests.Support;

/// <summary>A migrated SQLite store in a folder of its own under the temp directory, deleted when disposed.</summary>
public sealed class TempDatabase : IAsyncDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ampcms-core-tests", Guid.NewGuid().ToString("N"));

    private TempDatabase() => Db = new Database(Path.Combine(_dir, "test.db"));

    public Database Db { get; }

    public static async Task<TempDatabase> CreateAsync()
    {
        var temp = new TempDatabase();
        await temp.Db.MigrateAsync();
        return temp;
    }

    public async ValueTask DisposeAsync()
    {
        // This store's pool only: clearing every pool would close the idle connections of tests still running, and
        // the last connection of a store to close deletes its WAL under a test that is measuring it.
        await using (var conn = (Microsoft.Data.Sqlite.SqliteConnection)await Db.OpenAsync())
            Microsoft.Data.Sqlite.SqliteConnection.ClearPool(conn);
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { /* SQLite may hold the WAL a moment */ }
    }
}
