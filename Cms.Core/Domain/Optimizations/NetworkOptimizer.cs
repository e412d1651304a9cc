using System.Collections.Concurrent;
using Cms.Core.Diagnostics;
using Cms.Core.Domain;
using Cms.Core.Domain.Delivery;
using Cms.Core.Domain.Events;
using Cms.Core.Domain.Planning;
using Cms.Core.Resources;
using Cms.Optimizer;
using Dapper;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Optimizations;

/// <summary>
/// Reoptimizes one network: reads its state, runs the pure optimizer and hands the schedules to OCPP delivery at once;
/// <see cref="OptimizationStore"/> stores them after. Should the store fail, the chargers still have limits that keep
/// the site safe, and the next run stores again.
/// </summary>
public sealed class NetworkOptimizer(CoreContext core, OptimizationStore store, DeliveryFlags flags, OptimizerGuard guard,
    EventLog events, SessionDefaults defaults, PeakHints peakHints, PeakOptions peakOptions)
{
    /// <summary>Without departures the schedule covers 2.5 h, as the spec's example; with them, up to the last departure (24 h at most).</summary>
    public const int MinimumPeriods = 10;
    public const int MaximumPeriods = 96;

    /// <summary>Each network's newest schedules and their start, so the next run reads them without parsing stored JSON.</summary>
    private readonly ConcurrentDictionary<string, (DateTimeOffset Start, IReadOnlyList<PlannedSchedule> Schedules)> _latest = new();

    /// <summary>Per network, each session's last reading and the limit it was read under (see <see cref="WithOffered"/>).</summary>
    private readonly ConcurrentDictionary<string, Dictionary<string, (DateTimeOffset At, double Kw)>> _offered = new();

    public async Task<SchedulesPlanned?> RunAsync(string customerId, string networkId)
    {
        var start = core.Clock.GetUtcNow();
        var period = OptimizerInputBuilder.Period;
        var loaded = await core.Db.ReadAsync(async conn =>
        {
            var stored = await PlanningSnapshot.LoadAsync(conn, customerId, networkId, start);
            if (stored is null) return default;
            var (filled, used, hasHistory) = await defaults.FillAsync(conn, customerId, networkId, stored, start);
            var snapshot = WithOffered(filled, networkId, period);
            var periods = Horizon(snapshot, start, period);
            var signals = await NetworkSignals.LoadAsync(conn, customerId, networkId, start, periods, period);
            var previous = _latest.TryGetValue(networkId, out var latest)
                ? latest.Schedules.ToDictionary(s => s.Session.Id, s => Shift(Points(s.LimitsKw, latest.Start, period), start, period, periods))
                : await StoredLimitsAsync(conn, networkId, start, period, periods);
            // Lowest peak (fleet without prices, Optimizer:MinimizePeak): the hint from the site's recent days.
            double? peakHint = peakOptions.MinimizePeak && OptimizerInputBuilder.ObjectiveOf(snapshot.Objective) == Objective.Fleet
                && signals.Price.All(p => p is null)
                ? await peakHints.HintKwAsync(conn, customerId, networkId, snapshot, start) : null;
            return (snapshot, signals, previous, used, stored, hasHistory, peakHint);
        });
        LoopTrace.Mark("run.loaded", Iso.Format(start));
        if (loaded.snapshot is null) return null;
        var (snapshot, signals, previous, used, stored, hasHistory, peakHint) = loaded;

        // Delivery and storage see the sessions as they are (a default departure is a planning guess, not a deadline).
        var sessions = stored!.Sessions.ToDictionary(s => s.Id);
        var report = await PlanAsync(customerId, networkId, snapshot, signals, start, previous, flags.IsFlagged, used, hasHistory, peakHint);
        var planned = (report?.Result.Schedules ?? [])
            .Select(s => new PlannedSchedule(sessions[s.SessionId], UntilDeparture(sessions[s.SessionId], s.LimitsKw, start, period))).ToList();
        LoopTrace.Mark("run.planned", $"{planned.Count} sessions");
        var reservations = OptimizerInputBuilder.Reservations(snapshot);
        var run = new SchedulesPlanned(customerId, networkId, snapshot.Objective, start, planned, reservations) { Report = report };
        core.Events.Publish(run);
        _latest[networkId] = (start, planned);

        LoopTrace.Mark("run.published");
        store.Enqueue(run, signals.Periods);
        if (report?.FallbackReason is { } why)
            await events.RecordAsync(customerId, networkId, EventLog.Optimization, "Warning",
                $"Optimizer {why}: the last safe plan, scaled to the current limit, was used instead", details: report.Details());
        return run;
    }

    /// <summary>
    /// Runs the optimizer under its guard; when the network asks for on-time departures and the soft price constraints
    /// would make a vehicle late, plans again without them (spec: "the price constraints are removed and reoptimization occurs").
    /// </summary>
    private async Task<RunReport?> PlanAsync(string customerId, string networkId, PlanningSnapshot snapshot, NetworkSignals signals, DateTimeOffset start,
        IReadOnlyDictionary<string, double[]> previous, Func<string, bool> deliveryFailed, IReadOnlyList<JObject> defaultsUsed, bool hasHistory,
        double? peakHint)
    {
        if (snapshot.Sessions.Count == 0 || OptimizerInputBuilder.ObjectiveOf(snapshot.Objective) == Objective.Off) return null;
        // With usable history, unknown needs are planned with its defaults in the horizon plan (see SessionDefaults).
        OptimizationInput Build(bool withPriceConstraints)
        {
            var built = OptimizerInputBuilder.Build(snapshot, signals, start, previous, withPriceConstraints, deliveryFailed);
            return built with
            {
                Network = built.Network with
                {
                    NeedsFromHistory = hasHistory,
                    MinimizePeak = peakHint is not null,
                    PeakSoFarKw = peakHint ?? 0,
                },
            };
        }
        var input = Build(withPriceConstraints: true);
        void Replan() => core.Events.Publish(new NetworkChanged(customerId, networkId, "a slow optimizer run finished"));
        var run = await guard.RunAsync(networkId, input, Replan);
        if (run.FallbackReason is null && signals.PriceConstraintsActive && snapshot.Network.Bool("onTimeDeparture") && run.Result.CannotMeetDeparture.Count > 0)
        {
            input = Build(withPriceConstraints: false);
            run = await guard.RunAsync(networkId, input, Replan);
        }
        return new RunReport(input, run.Result, run.Elapsed, run.FallbackReason, defaultsUsed);
    }

    /// <summary>
    /// Each session's limit when its draw was last measured: from this network's newest plan, or, for a reading older
    /// than that plan, what an earlier run found for the same reading. A car that drew what it was offered is then not
    /// slowed by its own draw (<see cref="SessionInput.OfferedKw"/>).
    /// </summary>
    private PlanningSnapshot WithOffered(PlanningSnapshot snapshot, string networkId, TimeSpan period)
    {
        if (!_latest.TryGetValue(networkId, out var latest)) return snapshot;
        var limits = latest.Schedules.ToDictionary(s => s.Session.Id, s => s.LimitsKw);
        var before = _offered.GetValueOrDefault(networkId) ?? new Dictionary<string, (DateTimeOffset At, double Kw)>();
        var found = new Dictionary<string, (DateTimeOffset At, double Kw)>();
        var sessions = snapshot.Sessions.Select(s =>
        {
            if (s.MeasuredAt is not { } at) return s;
            if (at >= latest.Start && limits.TryGetValue(s.Id, out var planned))
            {
                var k = (int)Math.Floor((at - latest.Start) / period);
                if (k < planned.Length) found[s.Id] = (at, planned[k]);
            }
            else if (before.TryGetValue(s.Id, out var known) && known.At == at) found[s.Id] = known;
            return found.TryGetValue(s.Id, out var offered) ? s with { OfferedKw = offered.Kw } : s;
        }).ToList();
        _offered[networkId] = found;
        return snapshot with { Sessions = sessions };
    }

    /// <summary>A session's profile ends at its departure when that falls inside the horizon.</summary>
    private static double[] UntilDeparture(PlanningSession session, double[] limitsKw, DateTimeOffset start, TimeSpan period)
    {
        var length = session.Departure is { } d ? Math.Clamp((int)Math.Ceiling((d - start) / period), 1, limitsKw.Length) : limitsKw.Length;
        return limitsKw[..length];
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
