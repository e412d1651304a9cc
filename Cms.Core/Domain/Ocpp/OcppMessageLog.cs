using System.Threading.Channels;
using Cms.Core.Resources;
using Cms.Core.Storage;

namespace Cms.Core.Domain.Ocpp;

/// <summary>One OCPP frame as it crossed the wire, for /v2/ocpp_messages.</summary>
public sealed record OcppMessageRecord(
    string CustomerId, string? ChargePointId, string OcppId, DateTimeOffset Timestamp, string Source,
    string? MessageType, string? OperationType, string? MessageId, string Protocol, string Body, string? Url);

/// <summary>
/// The OCPP message log. Frames arrive at charger rate, so they are queued in memory and written in batches by
/// <see cref="RunAsync"/>; <see cref="FlushAsync"/> drains what is queued (used on shutdown and by readers that must see
/// their own frames). A batch is written once <see cref="FlushRows"/> frames are queued (checked every
/// <see cref="Tick"/>), or <see cref="MaxLinger"/> after its first frame. Each batch goes straight into the indexed
/// table in one transaction: a batch of many chargers' frames is already as large as a journal move's part, so each
/// per-charger index page is written once per batch, and the journal would only write every frame twice.
/// </summary>
public sealed class OcppMessageLog(CoreContext core)
{
    /// <summary>Frames that start a write (100 chargers' MeterValues fill it in ~0.1 s). Also the most a write takes, so a
    /// charger's write queued behind it waits for about one journal move's part (<see cref="Database.MovePartRows"/>).</summary>
    public const int FlushRows = Database.MovePartRows;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxLinger = TimeSpan.FromSeconds(1);
    private readonly Channel<OcppMessageRecord> _queue = Channel.CreateUnbounded<OcppMessageRecord>(new() { SingleReader = true });
    private readonly SemaphoreSlim _writer = new(1, 1);
    private int _queued; // the queue's length: a single-reader channel keeps no count

    public void Append(OcppMessageRecord record)
    {
        Cms.Core.Diagnostics.AmpMetrics.OcppMessage(record.OperationType, record.MessageType, record.Source);
        if (_queue.Writer.TryWrite(record)) Interlocked.Increment(ref _queued);
    }

    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stop))
            {
                var lingered = TimeSpan.Zero;
                do
                {
                    await Task.Delay(Tick, stop);
                    lingered += Tick;
                } while (Volatile.Read(ref _queued) < FlushRows && lingered < MaxLinger);
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
            // What is queued, in equal writes of at most FlushRows: 1,200 frames as 600 + 600, not 1,000 + 200 (a small
            // write of many chargers' frames rewrites nearly as many index pages as a large one).
            var queued = Volatile.Read(ref _queued);
            var writes = Math.Max(1, (queued + FlushRows - 1) / FlushRows);
            var size = Math.Clamp((queued + writes - 1) / writes, 1, FlushRows);
            var batch = new List<OcppMessageRecord>(size);
            while (true)
            {
                batch.Clear();
                while (batch.Count < size && _queue.Reader.TryRead(out var record)) batch.Add(record);
                Interlocked.Add(ref _queued, -batch.Count);
                if (batch.Count == 0) return;
                await WriteAsync(batch);
            }
        }
        finally
        {
            _writer.Release();
        }
    }

    private static readonly IReadOnlyList<string> Columns = TrafficJournal.OcppMessages.Columns;
    private readonly string _insertSql = TrafficJournal.OcppMessages.TableInsertSql;

    /// <summary>Rides the group commit (one transaction with the charger writes of the moment, not one of its own),
    /// through a statement prepared once on the writer's connection (<see cref="HotStatements"/>), into the indexed table.</summary>
    private Task WriteAsync(List<OcppMessageRecord> batch)
    {
        var now = Iso.Format(core.Clock.GetUtcNow());
        var rows = batch.ToArray();
        return core.Db.GroupWriteAsync(async (conn, tx) =>
        {
            var insert = conn.Hot(tx, _insertSql, Columns);
            foreach (var r in rows)
            {
                insert.Text(0, core.Ids.NewId()); insert.Text(1, r.CustomerId); insert.Text(2, now); insert.Text(3, r.ChargePointId);
                insert.Text(4, r.OcppId); insert.Text(5, Iso.Format(r.Timestamp)); insert.Text(6, r.Source); insert.Text(7, r.MessageType);
                insert.Text(8, r.OperationType); insert.Text(9, r.MessageId); insert.Text(10, r.Protocol); insert.Text(11, r.Body);
                insert.Text(12, r.Url);
                await insert.RunAsync();
            }
            return rows.Length;
        });
    }
}
