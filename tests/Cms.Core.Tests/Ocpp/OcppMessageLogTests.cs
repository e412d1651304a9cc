using Cms.Core.Domain;
using Cms.Core.Domain.Ocpp;
using Cms.Core.Resources;
using Cms.Core.Storage;
using Cms.Core.Time;
using Dapper;

namespace Cms.Core.Tests.Ocpp;

/// <summary>The message log's own writer stores frames without anyone asking it to flush.</summary>
public sealed class OcppMessageLogTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ampcms-core-tests", Guid.NewGuid().ToString("N"));
    private Database _db = null!;

    public async Task InitializeAsync()
    {
        _db = new Database(Path.Combine(_dir, "test.db"));
        await _db.MigrateAsync();
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { /* WAL may linger a moment */ }
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Frames_are_written_by_the_background_writer_in_batches()
    {
        var log = new OcppMessageLog(new CoreContext(_db, TimeProvider.System, new GuidIdGenerator(), new DomainEvents()));
        using var stop = new CancellationTokenSource();
        var writer = log.RunAsync(stop.Token);
        const int frames = 250; // more than one transaction's worth
        for (var i = 0; i < frames; i++)
            log.Append(new OcppMessageRecord("customer", null, "CP-1", DateTimeOffset.UtcNow, "Charger", "Call", "Heartbeat",
                i.ToString(System.Globalization.CultureInfo.InvariantCulture), "ocpp1.6", "[2,\"x\",\"Heartbeat\",{}]", null));

        long stored = 0;
        for (var wait = 0; wait < 100 && stored < frames && !writer.IsCompleted; wait++)
        {
            await Task.Delay(50);
            stored = await _db.ReadAsync(conn => conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ocpp_messages"));
        }

        Assert.False(writer.IsFaulted, writer.Exception?.ToString());
        Assert.Equal(frames, stored);
        await stop.CancelAsync();
        await writer;
    }
}
