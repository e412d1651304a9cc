using Cms.Core.Domain;
using Cms.Core.Domain.Ocpp;
using Cms.Core.Resources;
using Cms.Core.Storage;
using Cms.Core.Time;
using Dapper;
using Cms.Core.Tests.Support;

namespace Cms.Core.Tests.Ocpp;

/// <summary>The message log's own writer stores frames without anyone asking it to flush.</summary>
public sealed class OcppMessageLogTests : IAsyncLifetime
{
    private TempDatabase _temp = null!;
    private Database _db = null!;

    public async Task InitializeAsync()
    {
        _temp = await TempDatabase.CreateAsync();
        _db = _temp.Db;
    }

    public async Task DisposeAsync() => await _temp.DisposeAsync();

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
            stored = await _db.ReadAsync(conn => conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ocpp_messages_all"));
        }

        Assert.False(writer.IsFaulted, writer.Exception?.ToString());
        Assert.Equal(frames, stored);
        await stop.CancelAsync();
        await writer;
    }
}
