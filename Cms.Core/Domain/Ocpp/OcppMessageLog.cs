using System.Text;
using System.Threading.Channels;
using Cms.Core.Resources;
using Cms.Core.Storage;

namespace Cms.Core.Domain.Ocpp;

/// <summary>One OCPP frame as it crossed the wire, for /v2/ocpp_messages.</summary>
public sealed record OcppMessageRecord(
    string CustomerId, string? ChargePointId, string OcppId, DateTimeOffset Timestamp, string Source,
    string? MessageType, string? OperationType, string? MessageId, string Protocol, string Body, string? Url);

/// <summary>
/// The OCPP message log. Frames arrive at charger rate, so they are queued in memory and written in batches
/// by <see cref="RunAsync"/>; <see cref="FlushAsync"/> drains what is queued (used on shutdown and by readers
/// that must see their own frames). A flush waits <see cref="Linger"/> for the rest of a burst and stores each charger's
/// frames of the moment as one row of ocpp_message_batches (migration 072), listed per frame by <see cref="ReadView"/>:
/// one insert and one entry per index for a charger's whole second of traffic, not one per frame.
/// </summary>
public sealed class OcppMessageLog(CoreContext core)
{
    /// <summary>The log per frame, as /v2/ocpp_messages lists it.</summary>
    public const string ReadView = "ocpp_messages_all";

    /// <summary>Frames per batch row: frame k's id is the batch's with its last three hex digits k.</summary>
    public const int MaxBatchFrames = 4096;

    /// <summary>Frames per group-commit item, so a charger write queued behind a flush waits for a part of it only.</summary>
    private const int FramesPerWrite = 2_000;

    /// <summary>Frames taken from the queue at a time (a backlog is written in parts of this many).</summary>
    private const int MaxFramesPerFlush = 100_000;

    private static readonly TimeSpan Linger = TimeSpan.FromSeconds(1);
    private readonly Channel<OcppMessageRecord> _queue = Channel.CreateUnbounded<OcppMessageRecord>(new() { SingleReader = true });
    private readonly SemaphoreSlim _writer = new(1, 1);
    /// <summary>The frames column of the batch being inserted: one builder, as one write at a time runs (<see cref="_writer"/>).</summary>
    private StringBuilder _framesJson = NewFramesBuilder();
    /// <summary>Room for a whole batch in one buffer, still off the large object heap (<see cref="OcppMessageBatch.MaxChars"/>).</summary>
    private static StringBuilder NewFramesBuilder() => new(OcppMessageBatch.MaxChars + 1024);

    public void Append(OcppMessageRecord record)
    {
        Cms.Core.Diagnostics.AmpMetrics.OcppMessage(record.OperationType, record.MessageType, record.Source);
        _queue.Writer.TryWrite(record);
    }

    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stop))
            {
                await Task.Delay(Linger, stop);
                await FlushAsync();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // shutting down: write what is left
        }
        await FlushAsync();
    }

    public async Task FlushAsync()
    {
        await _writer.WaitAsync();
        try
        {
            var frames = new List<OcppMessageRecord>();
            while (true)
            {
                frames.Clear();
                while (frames.Count < MaxFramesPerFlush && _queue.Reader.TryRead(out var record)) frames.Add(record);
                if (frames.Count == 0) return;
                foreach (var part in OcppMessageBatch.Parts(OcppMessageBatch.Of(frames, MaxBatchFrames), FramesPerWrite))
                    await WriteAsync(part);
            }
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>One batch row (<see cref="Columns"/> in order).</summary>
    public const string InsertSql = "INSERT INTO ocpp_message_batches (id, customerId, created, \"chargePointId\", \"ocppId\", " +
        "\"protocol\", \"first\", \"last\", \"size\", \"frames\") VALUES (@id, @customerId, @created, @chargePointId, @ocppId, @protocol, @first, @last, @size, @frames)";

    public static readonly IReadOnlyList<string> Columns =
        ["id", "customerId", "created", "chargePointId", "ocppId", "protocol", "first", "last", "size", "frames"];

    /// <summary>Rides the group commit (one transaction with the charger writes of the moment, not one of its own),
    /// through a statement prepared once on the writer's connection (<see cref="HotStatements"/>).
    /// Not behind the deferred meter readings (<see cref="Database.DeferredBarrierAsync"/>): frames touch nothing of theirs,
    /// and a flush of the log would cost the readings the once-a-second flush that makes them cheap.</summary>
    private Task WriteAsync(IReadOnlyList<OcppMessageBatch> batches)
    {
        var now = Iso.Format(core.Clock.GetUtcNow());
        // Ids in the order of the batches (new ids of one millisecond are not ordered): a charger's frames cut into
        // several batches then list in the order logged when their times tie.
        var ids = batches.Select(_ => OcppMessageBatch.NewId(core.Ids.NewId())).Order(StringComparer.Ordinal).ToList();
        return core.Db.GroupWriteUnorderedAsync(async (conn, tx) =>
        {
            var insert = conn.Hot(tx, InsertSql, Columns);
            for (var i = 0; i < batches.Count; i++)
            {
                var b = batches[i];
                insert.Text(0, ids[i]); insert.Text(1, b.CustomerId); insert.Text(2, now); insert.Text(3, b.ChargePointId);
                insert.Text(4, b.OcppId); insert.Text(5, b.Protocol); insert.Text(6, Iso.Format(b.First)); insert.Text(7, Iso.Format(b.Last));
                insert.Integer(8, b.Frames.Count); insert.Text(9, b.AppendFramesJson(_framesJson.Clear()));
                await insert.RunAsync();
            }
            if (_framesJson.Capacity > 2 * OcppMessageBatch.MaxChars) _framesJson = NewFramesBuilder(); // after a batch of one huge frame
            return batches.Count;
        });
    }
}
