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
    /// through a statement prepared once on the writer's connection, into the journal (see <see cref="TrafficJournal"/>).</summary>
    private Task WriteAsync(List<OcppMessageRecord> batch)
    {
        var now = Iso.Format(core.Clock.GetUtcNow());
        var rows = batch.ToArray();
        return core.Db.GroupWriteAsync(async (conn, tx) =>
        {
            var cmd = conn.Prepared(tx, _insertSql, Columns);
            var p = cmd.Parameters;
            foreach (var r in rows)
            {
                p[0].Value = core.Ids.NewId(); p[1].Value = r.CustomerId; p[2].Value = now;
                p[3].Value = (object?)r.ChargePointId ?? DBNull.Value; p[4].Value = r.OcppId; p[5].Value = Iso.Format(r.Timestamp);
                p[6].Value = r.Source; p[7].Value = (object?)r.MessageType ?? DBNull.Value;
                p[8].Value = (object?)r.OperationType ?? DBNull.Value; p[9].Value = (object?)r.MessageId ?? DBNull.Value;
                p[10].Value = r.Protocol; p[11].Value = r.Body; p[12].Value = (object?)r.Url ?? DBNull.Value;
                await cmd.ExecuteNonQueryAsync();
            }
            core.Db.JournalRowsAppended(rows.Length);
            return rows.Length;
        });
    }
}
