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
/// that must see their own frames). A batch waits <see cref="Linger"/> for the rest of a burst (a delivery run's
/// 2 × N frames) and is written in transactions of <see cref="BatchSize"/> rows, so a charger message that needs the
/// write lock meanwhile waits for one small transaction at most.
/// </summary>
public sealed class OcppMessageLog(CoreContext core)
{
    private const int BatchSize = 100;
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(100);
    private readonly Channel<OcppMessageRecord> _queue = Channel.CreateUnbounded<OcppMessageRecord>(new() { SingleReader = true });
    private readonly SemaphoreSlim _writer = new(1, 1);

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
            var batch = new List<OcppMessageRecord>(BatchSize);
            while (true)
            {
                batch.Clear();
                while (batch.Count < BatchSize && _queue.Reader.TryRead(out var record)) batch.Add(record);
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
    private readonly string _insertSql = TrafficJournal.OcppMessages.InsertSqlFor(core.Db);

    /// <summary>Rides the group commit (one transaction with the charger writes of the moment, not one of its own),
    /// through a statement prepared once on the writer's connection (<see cref="HotStatements"/>), into the journal (see <see cref="TrafficJournal"/>).
    /// Not behind the deferred meter readings (<see cref="Database.DeferredBarrierAsync"/>): frames touch nothing of theirs,
    /// and a flush every 100 ms would cost the readings the once-a-second flush that makes them cheap.</summary>
    private Task WriteAsync(List<OcppMessageRecord> batch)
    {
        var now = Iso.Format(core.Clock.GetUtcNow());
        var rows = batch.ToArray();
        return core.Db.GroupWriteUnorderedAsync(async (conn, tx) =>
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
            core.Db.JournalRowsAppended(rows.Length);
            return rows.Length;
        });
    }
}
