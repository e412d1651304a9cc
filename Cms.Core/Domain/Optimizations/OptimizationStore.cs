using System.Threading.Channels;
using Cms.Core.Diagnostics;
using Cms.Core.Domain.Events;
using Cms.Core.Resources;
using Cms.Core.Storage;
using Dapper;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Optimizations;

/// <summary>
/// Stores each run's schedules as the network's active optimizations (older ones stay as history), then publishes
/// <see cref="OptimizationsPublished"/> (webhooks, readers) and an event. Runs are stored in order, each once its OCPP
/// delivery is done (at most <see cref="MaxWaitForDelivery"/> later): building, writing and rendering a large network's
/// rows takes CPU the SetChargingProfile fan-out needs on a small machine, and the chargers' limits matter first. A large
/// run is built and written in pieces; before each piece the store waits for the delivery of a newer run, if one is
/// under way (a session that started meanwhile), unless it has fallen behind. The pieces take the write lock in its
/// background lane: a charger's session start queued meanwhile goes before the next piece.
/// </summary>
public sealed class OptimizationStore(CoreContext core, EventLog events)
{
    private static readonly TimeSpan MaxWaitForDelivery = TimeSpan.FromSeconds(2);
    /// <summary>With more runs than this waiting to be stored, the store stops giving way to deliveries.</summary>
    private const int MaxRunsBehind = 2;
    private readonly Channel<(SchedulesPlanned Run, int Periods)> _queue =
        Channel.CreateUnbounded<(SchedulesPlanned, int)>(new() { SingleReader = true });
    private SchedulesPlanned? _newest;
    private int _waiting; // runs queued, not yet taken (the single-reader channel cannot count)

    public void Enqueue(SchedulesPlanned run, int periods)
    {
        Volatile.Write(ref _newest, run);
        Interlocked.Increment(ref _waiting);
        _queue.Writer.TryWrite((run, periods));
    }

    public async Task RunAsync(Action<Exception, string> onError, CancellationToken stop)
    {
        try
        {
            await foreach (var (run, periods) in _queue.Reader.ReadAllAsync(stop))
            {
                Interlocked.Decrement(ref _waiting);
                await Task.WhenAny(run.Delivered, Task.Delay(MaxWaitForDelivery, stop));
                LoopTrace.Mark("store.begin");
                await StoreLoggingAsync(run, periods, onError, stop);
                LoopTrace.Mark("store.end");
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // shutting down: store what is queued without waiting for deliveries
        }
        while (_queue.Reader.TryRead(out var left)) await StoreLoggingAsync(left.Run, left.Periods, onError, stop);
    }

    private async Task StoreLoggingAsync(SchedulesPlanned run, int periods, Action<Exception, string> onError, CancellationToken stop)
    {
        try { await StoreAsync(run, periods, stop); }
        catch (Exception e) { onError(e, run.NetworkId); }
    }

    /// <summary>Waits (bounded) while a newer run is being delivered, unless shutting down or behind.</summary>
    private async Task GiveWayAsync(SchedulesPlanned run, CancellationToken stop)
    {
        if (stop.IsCancellationRequested || Volatile.Read(ref _waiting) > MaxRunsBehind) return;
        if (Volatile.Read(ref _newest) is not { } newest || ReferenceEquals(newest, run) || newest.Delivered.IsCompleted) return;
        LoopTrace.Mark("store.givesway");
        try { await Task.WhenAny(newest.Delivered, Task.Delay(MaxWaitForDelivery, stop)); }
        catch (OperationCanceledException) { /* shutting down */ }
    }

    private async Task StoreAsync(SchedulesPlanned run, int periods, CancellationToken stop)
    {
        var rows = new List<StorableRow>(run.Schedules.Count);
        var now = Iso.Format(run.Start);
        LoopTrace.Mark("store.rows");
        // In pieces, so a charger's session start waiting for the write lock waits for one piece, not for a whole large
        // run. Earlier pieces go in inactive; the last piece retires the network's active rows and activates the run's in
        // one transaction, so readers never see a run half active.
        var inactive = new List<string>();
        for (var offset = 0; offset == 0 || offset < run.Schedules.Count; offset += RowsPerWrite)
        {
            await GiveWayAsync(run, stop);
            var piece = run.Schedules.Skip(offset).Take(RowsPerWrite).Select(schedule => Row(run, schedule)).ToList();
            rows.AddRange(piece);
            var last = offset + RowsPerWrite >= run.Schedules.Count;
            await core.Db.WriteAsync(async (conn, tx) =>
            {
                LoopTrace.Mark("store.locked");
                if (last)
                    await conn.ExecuteAsync("UPDATE optimizations SET active = 0, updated = @now WHERE networkId = @networkId AND active = 1",
                        new { now, networkId = run.NetworkId }, tx);
                foreach (var row in piece)
                {
                    var insert = conn.Prepared(tx, InsertSql, InsertColumns);
                    for (var i = 0; i < InsertColumns.Length - 1; i++) insert.Parameters[i].Value = row.Values[InsertColumns[i]] ?? DBNull.Value;
                    insert.Parameters[InsertColumns.Length - 1].Value = last ? 1 : 0;
                    await insert.ExecuteNonQueryAsync();
                }
                if (last)
                    foreach (var id in inactive)
                    {
                        var activate = conn.Prepared(tx, "UPDATE optimizations SET active = 1 WHERE id = @id", IdColumn);
                        activate.Parameters[0].Value = id;
                        await activate.ExecuteNonQueryAsync();
                    }
                LoopTrace.Mark("store.inserted");
            }, background: true);
            if (!last) inactive.AddRange(piece.Select(r => (string)r.Values["id"]!));
        }
        LoopTrace.Mark("store.committed");

        // Rendered, when a webhook asks, from the row values stored (the JSON columns read back as the tokens they were
        // written from), so webhooks and events carry what GET /v2/optimizations shows.
        var stored = rows.Select(r => new PublishedOptimization((string)r.Values["id"]!, r.Schedule.Session, r.Schedule.LimitsKw,
            new Lazy<JObject>(() => RowRenderer.Render(OptimizationResource.Spec, new Dictionary<string, object?>(r.Values)
            {
                ["csChargingProfiles"] = Tokens((string)r.Values["csChargingProfiles"]!), ["profile"] = Tokens((string)r.Values["profile"]!),
            })))).ToList();
        core.Events.Publish(new OptimizationsPublished(run.CustomerId, run.NetworkId, run.Objective, run.Start, stored)
        {
            Reservations = run.Reservations,
        });
        var details = run.Report?.Details();
        var quality = details is null ? "" : $"; {details["plannedEnergyKwh"]} kWh planned, snapshot optimum {details["optimumEnergyKwh"]} kWh " +
            $"(gap {details["optimalityGapPct"]} %), {details["runMs"]} ms{((bool)details["fallback"]! ? ", fallback plan" : "")}";
        await events.RecordAsync(run.CustomerId, run.NetworkId, EventLog.Optimization, "Info",
            $"{run.Objective}: {stored.Count} session(s) planned for {periods} periods{quality}", details: details);
    }

    /// <summary>Rows per write transaction (see <see cref="StoreAsync"/>).</summary>
    private const int RowsPerWrite = 100;
    private static readonly string[] InsertColumns = ["id", "customerId", "created", "updated", "chargingSessionId", "connectorId", "connector",
        "chargepointId", "networkId", "method", "csChargingProfiles", "profile", "currentLimit", "validTo", "active"];
    private static readonly string[] IdColumn = ["id"];
    private const string InsertSql =
        "INSERT INTO optimizations (id, customerId, created, updated, chargingSessionId, connectorId, connector, chargepointId, " +
        "networkId, method, csChargingProfiles, profile, currentLimit, active, validFrom, validTo) VALUES (@id, @customerId, @created, " +
        "@updated, @chargingSessionId, @connectorId, @connector, @chargepointId, @networkId, @method, @csChargingProfiles, @profile, " +
        "@currentLimit, @active, @created, @validTo)";

    private sealed record StorableRow(PlannedSchedule Schedule, Dictionary<string, object?> Values);

    /// <summary>A schedule as its optimizations row, its JSON columns written straight to text.</summary>
    private StorableRow Row(SchedulesPlanned run, PlannedSchedule schedule)
    {
        var session = schedule.Session;
        var period = Planning.OptimizerInputBuilder.Period;
        var now = Iso.Format(run.Start);
        return new StorableRow(schedule, new Dictionary<string, object?>
        {
            ["id"] = core.Ids.NewId(), ["customerId"] = run.CustomerId, ["created"] = now, ["updated"] = now,
            ["chargingSessionId"] = session.Id, ["connectorId"] = (long)session.ConnectorNumber, ["connector"] = session.ConnectorId,
            ["chargepointId"] = session.ChargePointId, ["networkId"] = run.NetworkId, ["method"] = run.Objective,
            ["csChargingProfiles"] = ProfileBuilder.ChargingProfileJson(session, schedule.LimitsKw, run.Start, period, session.ChargingRateUnit),
            ["profile"] = ProfileBuilder.TimeSeriesJson(schedule.LimitsKw, run.Start, period),
            ["currentLimit"] = schedule.LimitsKw.Length > 0 ? schedule.LimitsKw[0] : 0,
            ["validTo"] = ProfileBuilder.ValidTo(schedule.LimitsKw, run.Start, period),
        });
    }

    /// <summary>JSON text back as tokens, strings kept as written (no date parsing) and numbers as they were typed.</summary>
    private static JToken Tokens(string text)
    {
        using var reader = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Double };
        return JToken.ReadFrom(reader);
    }
}
