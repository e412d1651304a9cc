using Cms.Core.Domain.Delivery;
using Cms.Core.Domain.Events;
using Cms.Core.Domain.Planning;
using Cms.Core.Resources;
using Cms.Optimizer;
using Dapper;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Optimizations;

/// <summary>One new optimization, as stored, with the session it is for (for deliveries).</summary>
public sealed record PublishedOptimization(string Id, PlanningSession Session, double[] LimitsKw, JObject Optimization);

/// <summary>A network's schedules were replaced; <see cref="Items"/> is empty when no session is planned any more.</summary>
public sealed record OptimizationsPublished(string CustomerId, string NetworkId, string Objective, DateTimeOffset Start,
    IReadOnlyList<PublishedOptimization> Items)
{
    /// <summary>reservedPower held for idle connectors, delivered as their TxDefaultProfile.</summary>
    public IReadOnlyList<Reservation> Reservations { get; init; } = [];
}

/// <summary>
/// A run's schedules as soon as they are known, before they are stored: OCPP delivery takes them from here so a
/// charger's new limit never waits for SQLite. <see cref="OptimizationsPublished"/> follows once they are stored.
/// </summary>
public sealed record SchedulesPlanned(OptimizationsPublished Run);

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
            var previous = await PreviousLimitsAsync(conn, networkId, start, period, periods);
            return (snapshot, signals, previous);
        });
        if (loaded.snapshot is null) return null;
        var (snapshot, signals, previous) = loaded;

        var schedules = Plan(snapshot, signals, start, previous, flags.IsFlagged);
        var sessions = snapshot.Sessions.ToDictionary(s => s.Id);
        var items = schedules.Select(s => Publishable(sessions[s.SessionId], s.LimitsKw, snapshot, start, period)).ToList();

        var reservations = OptimizerInputBuilder.Reservations(snapshot);
        core.Events.Publish(new SchedulesPlanned(new OptimizationsPublished(customerId, networkId, snapshot.Objective, start, items)
        {
            Reservations = reservations,
        }));

        var now = Iso.Format(start);
        await core.Db.WriteAsync(async (conn, tx) =>
        {
            await conn.ExecuteAsync("UPDATE optimizations SET active = 0, updated = @now WHERE networkId = @networkId AND active = 1",
                new { now, networkId }, tx);
            // One command for all rows: Dapper rebinds it per item, so SQLite prepares the statement once.
            await conn.ExecuteAsync(
                "INSERT INTO optimizations (id, customerId, created, updated, chargingSessionId, connectorId, connector, chargepointId, " +
                "networkId, method, csChargingProfiles, profile, currentLimit, active, validFrom, validTo) VALUES (@id, @customerId, @now, @now, " +
                "@sessionId, @connectorNumber, @connectorId, @chargePointId, @networkId, @method, @profiles, @profile, @currentLimit, 1, @validFrom, @validTo)",
                items.Select(item => new
                {
                    id = item.Id, customerId, now, sessionId = item.Session.Id, connectorNumber = item.Session.ConnectorNumber,
                    connectorId = item.Session.ConnectorId, chargePointId = item.Session.ChargePointId, networkId,
                    method = snapshot.Objective,
                    profiles = item.Optimization["csChargingProfiles"]!.ToString(Formatting.None),
                    profile = item.Optimization["profile"]!.ToString(Formatting.None),
                    currentLimit = item.LimitsKw.Length > 0 ? item.LimitsKw[0] : 0,
                    validFrom = now, validTo = (string?)item.Optimization["csChargingProfiles"]!["validTo"],
                }), tx);
        });

        // Rendered from the very row values stored, so deliveries send exactly what GET /v2/optimizations shows.
        var stored = items.Select(item => item with { Optimization = RowRenderer.Render(OptimizationResource.Spec, StoredRow(item, networkId, snapshot.Objective, now)) }).ToList();
        var published = new OptimizationsPublished(customerId, networkId, snapshot.Objective, start, stored)
        {
            Reservations = reservations,
        };
        core.Events.Publish(published);
        await events.RecordAsync(customerId, networkId, EventLog.Optimization, "Info",
            $"{snapshot.Objective}: {stored.Count} session(s) planned for {signals.Periods} periods");
        return published;
    }

    private static Dictionary<string, object?> StoredRow(PublishedOptimization item, string networkId, string method, string now) => new()
    {
        ["id"] = item.Id, ["created"] = now, ["updated"] = now, ["method"] = method,
        ["csChargingProfiles"] = item.Optimization["csChargingProfiles"]!.ToString(Formatting.None),
        ["profile"] = item.Optimization["profile"]!.ToString(Formatting.None),
        ["connectorId"] = (long)item.Session.ConnectorNumber, ["connector"] = item.Session.ConnectorId,
        ["chargepointId"] = item.Session.ChargePointId, ["networkId"] = networkId,
    };

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

    private PublishedOptimization Publishable(PlanningSession session, double[] limitsKw, PlanningSnapshot snapshot, DateTimeOffset start, TimeSpan period)
    {
        // A session's profile ends at its departure when that falls inside the horizon.
        var length = session.Departure is { } d ? Math.Clamp((int)Math.Ceiling((d - start) / period), 1, limitsKw.Length) : limitsKw.Length;
        var limits = limitsKw[..length];
        var optimization = new JObject
        {
            ["method"] = snapshot.Objective,
            ["csChargingProfiles"] = ProfileBuilder.ChargingProfile(session, limits, start, period, session.ChargingRateUnit),
            ["profile"] = ProfileBuilder.TimeSeries(limits, start, period),
        };
        return new PublishedOptimization(core.Ids.NewId(), session, limits, optimization);
    }

    private static int Horizon(PlanningSnapshot snapshot, DateTimeOffset start, TimeSpan period)
    {
        var lastDeparture = snapshot.Sessions.Select(s => s.Departure).Where(d => d is not null).Max();
        var untilDeparture = lastDeparture is { } d ? (int)Math.Ceiling((d - start) / period) : 0;
        return Math.Clamp(untilDeparture, MinimumPeriods, MaximumPeriods);
    }

    /// <summary>The active schedule of each session, shifted to start now: lets the optimizer rotate who waits.</summary>
    private static async Task<IReadOnlyDictionary<string, double[]>> PreviousLimitsAsync(System.Data.Common.DbConnection conn,
        string networkId, DateTimeOffset start, TimeSpan period, int periods)
    {
        var rows = await conn.QueryAsync<(string SessionId, string Profile)>(
            "SELECT chargingSessionId, profile FROM optimizations WHERE networkId = @networkId AND active = 1", new { networkId });
        var previous = new Dictionary<string, double[]>();
        foreach (var (sessionId, profile) in rows)
        {
            var limits = new double[periods];
            foreach (var point in JObject.Parse(profile)["data"]!)
            {
                var k = (int)Math.Floor((Iso.Parse((string)point["time"]!) - start) / period + 1e-9);
                if (k >= 0 && k < periods) limits[k] = (double)point["value"]!;
            }
            previous[sessionId] = limits;
        }
        return previous;
    }
}
