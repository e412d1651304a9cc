using System.Collections.Concurrent;
using Cms.Core.Domain.Delivery;
using Cms.Core.Domain.Events;
using Cms.Core.Domain.Planning;
using Cms.Core.Resources;
using Cms.Optimizer;
using Dapper;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Optimizations;

/// <summary>
/// Reoptimizes one network: reads its state, runs the pure optimizer, hands the schedules to OCPP delivery, then
/// replaces the network's active optimizations in one transaction (older ones stay as history) and publishes the
/// stored result (webhooks, readers). Should the write fail, the chargers still have limits that keep the site safe,
/// and the next run writes again.
/// </summary>
public sealed class NetworkOptimizer(CoreContext core, EventLog events, DeliveryFlags flags)
{
    /// <summary>Without departures the schedule covers 2.5 h, as the spec's example; with them, up to the last departure (24 h at most).</summary>
    public const int MinimumPeriods = 10;
    public const int MaximumPeriods = 96;

    /// <summary>Each network's newest schedules and their start, so the next run reads them without parsing stored JSON.</summary>
    private readonly ConcurrentDictionary<string, (DateTimeOffset Start, IReadOnlyList<PlannedSchedule> Schedules)> _latest = new();

    public async Task<OptimizationsPublished?> RunAsync(string customerId, string networkId)
    {
        var start = core.Clock.GetUtcNow();
        var period = OptimizerInputBuilder.Period;
        var loaded = await core.Db.ReadAsync(async conn =>
        {
            var snapshot = await PlanningSnapshot.LoadAsync(conn, customerId, networkId, start);
            if (snapshot is null) return default;
            var periods = Horizon(snapshot, start, period);
            var signals = await NetworkSignals.LoadAsync(conn, customerId, networkId, start, periods, period);
            var previous = _latest.TryGetValue(networkId, out var latest)
                ? latest.Schedules.ToDictionary(s => s.Session.Id, s => Shift(Points(s.LimitsKw, latest.Start, period), start, period, periods))
                : await StoredLimitsAsync(conn, networkId, start, period, periods);
            return (snapshot, signals, previous);
        });
        if (loaded.snapshot is null) return null;
        var (snapshot, signals, previous) = loaded;

        var sessions = snapshot.Sessions.ToDictionary(s => s.Id);
        var planned = Plan(snapshot, signals, start, previous, flags.IsFlagged)
            .Select(s => new PlannedSchedule(sessions[s.SessionId], UntilDeparture(sessions[s.SessionId], s.LimitsKw, start, period))).ToList();
        var reservations = OptimizerInputBuilder.Reservations(snapshot);
        core.Events.Publish(new SchedulesPlanned(customerId, networkId, snapshot.Objective, start, planned, reservations));
        _latest[networkId] = (start, planned);

        var items = planned.Select(p => Publishable(p, networkId, snapshot.Objective, start, period)).ToList();
        var now = Iso.Format(start);
        await core.Db.WriteAsync(async (conn, tx) =>
        {
            await conn.ExecuteAsync("UPDATE optimizations SET active = 0, updated = @now WHERE networkId = @networkId AND active = 1",
                new { now, networkId }, tx);
            // One command for all rows: Dapper rebinds it per item, so SQLite prepares the statement once.
            await conn.ExecuteAsync(
                "INSERT INTO optimizations (id, customerId, created, updated, chargingSessionId, connectorId, connector, chargepointId, " +
                "networkId, method, csChargingProfiles, profile, currentLimit, active, validFrom, validTo) VALUES (@id, @customerId, @created, @updated, " +
                "@sessionId, @connectorId, @connector, @chargepointId, @networkId, @method, @csChargingProfiles, @profile, @currentLimit, 1, @validFrom, @validTo)",
                items.Select(item => new
                {
                    id = item.Row["id"], customerId, created = now, updated = now, sessionId = item.Schedule.Session.Id,
                    connectorId = item.Row["connectorId"], connector = item.Row["connector"], chargepointId = item.Row["chargepointId"], networkId,
                    method = snapshot.Objective, csChargingProfiles = item.Row["csChargingProfiles"], profile = item.Row["profile"],
                    currentLimit = item.Schedule.LimitsKw.Length > 0 ? item.Schedule.LimitsKw[0] : 0,
                    validFrom = now, validTo = item.ValidTo,
                }), tx);
        });

        // Rendered from the very row values stored, so webhooks and events carry exactly what GET /v2/optimizations shows.
        var stored = items.Select(item => new PublishedOptimization((string)item.Row["id"]!, item.Schedule.Session, item.Schedule.LimitsKw,
            RowRenderer.Render(OptimizationResource.Spec, item.Row))).ToList();
        var published = new OptimizationsPublished(customerId, networkId, snapshot.Objective, start, stored)
        {
            Reservations = reservations,
        };
        core.Events.Publish(published);
        await events.RecordAsync(customerId, networkId, EventLog.Optimization, "Info",
            $"{snapshot.Objective}: {stored.Count} session(s) planned for {signals.Periods} periods");
        return published;
    }

    /// <summary>
    /// Runs the optimizer; when the network asks for on-time departures and the soft price constraints would make a
    /// vehicle late, plans again without them (spec: "the price constraints are removed and reoptimization occurs").
    /// </summary>
    private static IReadOnlyList<SessionSchedule> Plan(PlanningSnapshot snapshot, NetworkSignals signals, DateTimeOffset start,
        IReadOnlyDictionary<string, double[]> previous, Func<string, bool> deliveryFailed)
    {
        if (snapshot.Sessions.Count == 0 || OptimizerInputBuilder.ObjectiveOf(snapshot.Objective) == Objective.Off) return [];
        var result = SmartChargingOptimizer.Optimize(OptimizerInputBuilder.Build(snapshot, signals, start, previous, withPriceConstraints: true, deliveryFailed));
        if (signals.PriceConstraintsActive && snapshot.Network.Bool("onTimeDeparture") && result.CannotMeetDeparture.Count > 0)
            result = SmartChargingOptimizer.Optimize(OptimizerInputBuilder.Build(snapshot, signals, start, previous, withPriceConstraints: false, deliveryFailed));
        return result.Schedules;
    }

    /// <summary>A session's profile ends at its departure when that falls inside the horizon.</summary>
    private static double[] UntilDeparture(PlanningSession session, double[] limitsKw, DateTimeOffset start, TimeSpan period)
    {
        var length = session.Departure is { } d ? Math.Clamp((int)Math.Ceiling((d - start) / period), 1, limitsKw.Length) : limitsKw.Length;
        return limitsKw[..length];
    }

    /// <summary>A schedule as its optimizations row: JSON built and serialized once, for the insert and the rendering alike.</summary>
    private sealed record StorableOptimization(PlannedSchedule Schedule, Dictionary<string, object?> Row, string? ValidTo);

    private StorableOptimization Publishable(PlannedSchedule schedule, string networkId, string method, DateTimeOffset start, TimeSpan period)
    {
        var session = schedule.Session;
        var profiles = ProfileBuilder.ChargingProfile(session, schedule.LimitsKw, start, period, session.ChargingRateUnit);
        var now = Iso.Format(start);
        var row = new Dictionary<string, object?>
        {
            ["id"] = core.Ids.NewId(), ["created"] = now, ["updated"] = now, ["method"] = method,
            ["csChargingProfiles"] = profiles.ToString(Formatting.None),
            ["profile"] = ProfileBuilder.TimeSeries(schedule.LimitsKw, start, period).ToString(Formatting.None),
            ["connectorId"] = (long)session.ConnectorNumber, ["connector"] = session.ConnectorId,
            ["chargepointId"] = session.ChargePointId, ["networkId"] = networkId,
        };
        return new StorableOptimization(schedule, row, (string?)profiles["validTo"]);
    }

    private static int Horizon(PlanningSnapshot snapshot, DateTimeOffset start, TimeSpan period)
    {
        var lastDeparture = snapshot.Sessions.Select(s => s.Departure).Where(d => d is not null).Max();
        var untilDeparture = lastDeparture is { } d ? (int)Math.Ceiling((d - start) / period) : 0;
        return Math.Clamp(untilDeparture, MinimumPeriods, MaximumPeriods);
    }

    /// <summary>The active schedule of each session as stored (after a restart), shifted to start now.</summary>
    private static async Task<IReadOnlyDictionary<string, double[]>> StoredLimitsAsync(System.Data.Common.DbConnection conn,
        string networkId, DateTimeOffset start, TimeSpan period, int periods)
    {
        var rows = await conn.QueryAsync<(string SessionId, string Profile)>(
            "SELECT chargingSessionId, profile FROM optimizations WHERE networkId = @networkId AND active = 1", new { networkId });
        return rows.ToDictionary(r => r.SessionId, r => Shift(
            JObject.Parse(r.Profile)["data"]!.Select(p => (Iso.Parse((string)p["time"]!), (double)p["value"]!)), start, period, periods));
    }

    private static IEnumerable<(DateTimeOffset Time, double Kw)> Points(double[] limitsKw, DateTimeOffset from, TimeSpan period) =>
        limitsKw.Select((kw, k) => (from + k * period, kw));

    /// <summary>The previous schedule on the new run's periods, which lets the optimizer rotate who waits.</summary>
    private static double[] Shift(IEnumerable<(DateTimeOffset Time, double Kw)> points, DateTimeOffset start, TimeSpan period, int periods)
    {
        var limits = new double[periods];
        foreach (var (time, kw) in points)
        {
            var k = (int)Math.Floor((time - start) / period + 1e-9);
            if (k >= 0 && k < periods) limits[k] = kw;
        }
        return limits;
    }
}
