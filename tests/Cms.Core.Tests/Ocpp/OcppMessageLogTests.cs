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

    [Fact]
    public async Task A_charger_s_frames_beyond_a_batch_s_size_or_length_are_cut_into_several_rows_and_list_in_order()
    {
        var log = new OcppMessageLog(new CoreContext(_db, TimeProvider.System, new GuidIdGenerator(), new DomainEvents()));
        var at = DateTimeOffset.UtcNow;
        // More frames than a batch holds (all at one time: their order comes from the ids alone), then 40 of 4,000
        // characters each, for a charger and, between them, a few of another.
        var frames = Enumerable.Range(0, OcppMessageLog.MaxBatchFrames + 100)
            .Select(i => Frame("CP-1", at, i, "[2,\"" + i + "\",\"Heartbeat\",{}]"))
            .Concat(Enumerable.Range(0, 40).Select(i => Frame(i % 10 == 0 ? "CP-2" : "CP-1", at.AddSeconds(1), i, new string('x', 4_000))))
            .ToList();
        foreach (var frame in frames) log.Append(frame);
        await log.FlushAsync();

        var stored = (await _db.ReadAsync(conn => conn.QueryAsync<(string Id, string OcppId, string? MessageId, string Body)>(
            "SELECT id, \"ocppId\", \"messageId\", body FROM ocpp_messages_all ORDER BY \"timestamp\", id"))).ToList();
        Assert.Equal(frames.Select(f => (f.OcppId, f.MessageId, f.Body)).OrderBy(f => f.OcppId, StringComparer.Ordinal).ToList(),
            stored.Select(s => (s.OcppId, s.MessageId, s.Body)).OrderBy(f => f.OcppId, StringComparer.Ordinal).ToList());
        Assert.Equal(frames.Count, stored.Select(s => s.Id).Distinct().Count());
        var lengths = (await _db.ReadAsync(conn => conn.QueryAsync<long>(
            "SELECT LENGTH(frames) FROM ocpp_message_batches WHERE \"ocppId\" = 'CP-1' ORDER BY id"))).ToList();
        Assert.True(lengths.Count >= 2 + 36 * 4_000 / OcppMessageBatch.MaxChars, string.Join(", ", lengths));
        Assert.All(lengths, length => Assert.True(length < 85_000 / 2, $"{length} characters"));
    }

    private static OcppMessageRecord Frame(string ocppId, DateTimeOffset at, int i, string body) =>
        new("customer", null, ocppId, at, "Charger", "Call", "Heartbeat", i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "ocpp1.6", body, null);
}
