using System.Collections.Concurrent;
using System.Threading.Channels;
using Cms.Core.Diagnostics;
using Cms.Core.Domain.Configurations;
using Cms.Core.Domain.Events;
using Cms.Core.Domain.Ocpp;
using Cms.Core.Domain.Optimizations;
using Cms.Core.Domain.Planning;
using Cms.Core.Resources;

namespace Cms.Core.Domain.Delivery;

/// <summary>
/// A charger (re)connected. Within this process it gets its current profiles again; the first connection after a host
/// restart keeps the limits the charger accepted before (chargers keep installed profiles across a CSMS restart).
/// </summary>
public sealed record ChargerConnected(string CustomerId, string NetworkId, string ChargePointId);

/// <summary>A charger booted (BootNotification): its installed profiles may be gone, so it gets them again.</summary>
public sealed record ChargerBooted(string CustomerId, string NetworkId, string ChargePointId);

/// <summary>
/// Sends each network's new schedules to its connected chargers as SetChargingProfile, following the delivery preset:
/// All (every session every time) or Sequential (only changed limits, every lowering acknowledged before any raise,
/// so the limits in force on the chargers never sum above the site's capacity). Rejections and timeouts are retried
/// once and recorded; a session whose charger keeps refusing is flagged so the planner assumes it draws its maximum.
/// </summary>
public sealed class OcppProfileDelivery
{
    /// <summary>The delivery preset in force for each of these charge points of a network, for one purpose.</summary>
    public delegate Task<IReadOnlyDictionary<string, DeliverySettings>> PresetLookup(string customerId, string networkId,
        IReadOnlyCollection<string> chargePointIds, string purpose);

    private const int FailuresBeforeFlag = 3;
    private readonly CoreContext _core;
    private readonly IChargerGateway _gateway;
    private readonly EventLog _events;
    private readonly PresetLookup _presets;
    private readonly int _maxPeriods;
    private readonly Channel<SchedulesPlanned> _queue = Channel.CreateUnbounded<SchedulesPlanned>(new() { SingleReader = true });
    private readonly ConcurrentDictionary<string, double> _inForce = new();      // session → first-period kW the charger accepted
    private readonly ConcurrentDictionary<string, string> _networkOf = new();    // session → network, to forget ended sessions
    private readonly ConcurrentDictionary<string, int> _failures = new();         // session → consecutive failed deliveries
    private readonly ConcurrentDictionary<string, byte> _dirty = new();           // keys whose stored state is out of date
    private readonly ConcurrentDictionary<string, byte> _restored = new();        // charge points whose limits were loaded at start, not yet reconnected
    private readonly DeliveryStateStore _store;
    /// <summary>Each delivered run's summary event (null: none), recorded with the state save after the run.</summary>
    private readonly Channel<Func<Task>?> _books = Channel.CreateUnbounded<Func<Task>?>(new() { SingleReader = true });

    public OcppProfileDelivery(CoreContext core, IChargerGateway gateway, EventLog events, DeliveryFlags flags,
        PresetLookup presets, int maxPeriods = ScheduleCompression.DefaultMaxPeriods)
    {
        _core = core;
        _gateway = gateway;
        _events = events;
        _presets = presets;
        _maxPeriods = maxPeriods;
        Flags = flags;
        _store = new DeliveryStateStore(core.Db);
        core.Events.Subscribe<SchedulesPlanned>(run => _queue.Writer.TryWrite(run));
        core.Events.Subscribe<ChargerConnected>(c =>
        {
            if (!_restored.TryRemove(c.ChargePointId, out _)) ForgetLimits(c.ChargePointId);
        });
        core.Events.Subscribe<ChargerBooted>(c =>
        {
            _restored.TryRemove(c.ChargePointId, out _);
            // Replanned when delivery knows this charger: what it held is gone, and what it refused while still booting
            // (a profile sent on connect, before it was ready) is due again. A charger new to delivery costs no replan.
            ForgetLimits(c.ChargePointId);
            if (Flags.Knows(c.ChargePointId)) core.Events.Publish(new NetworkChanged(c.CustomerId, c.NetworkId, "charger booted"));
        });
    }

    /// <summary>Forgets the limits this charger accepted, so it is sent its profiles again; true if there were any.</summary>
    private bool ForgetLimits(string chargePointId)
    {
        var any = false;
        foreach (var session in _inForce.Keys.Where(s => Flags.ChargePointOf(s) == chargePointId).ToList())
            if (_inForce.TryRemove(session, out _)) { _dirty[session] = 0; any = true; }
        return any;
    }

    /// <summary>
    /// Loads what was in force before a restart. A charger that connected before this ran is left out: it may have
    /// booted meanwhile, so it gets its profiles again.
    /// </summary>
    private async Task LoadAsync()
    {
        foreach (var row in await _store.LoadAsync())
        {
            _networkOf.TryAdd(row.Key, row.NetworkId);
            if (row.ChargePointId is { } cp) Flags.Remember(row.Key, cp);
            // Refusals belong to the session, not to what its charger holds: kept even if the charger is back already.
            if (row.Flagged) Flags.Flag(row.Key);
            if (FailuresOf(row) is > 0 and var failures) _failures.TryAdd(row.Key, failures);
            if (row.Kw is not { } kw) continue;
            if (row.ChargePointId is { } chargePoint && _gateway.IsConnected(chargePoint)) { _dirty[row.Key] = 0; continue; }
            _inForce.TryAdd(row.Key, kw);
            if (row.ChargePointId is { } restored) _restored[restored] = 0;
        }
    }

    /// <summary>
    /// This node starts planning a network another node planned until now (several nodes on one store): what it remembers
    /// of that network may be stale, so the limits in force and the flags are taken from the store, where the previous
    /// planner saved them after each delivery.
    /// </summary>
    public async Task AdoptNetworkAsync(string networkId)
    {
        var rows = await _store.LoadAsync(networkId);
        foreach (var (key, network) in _networkOf)
            if (network == networkId && _networkOf.TryRemove(key, out _))
            {
                _inForce.TryRemove(key, out _);
                _failures.TryRemove(key, out _);
                Flags.Forget(key);
            }
        foreach (var row in rows)
        {
            _networkOf[row.Key] = networkId;
            if (row.ChargePointId is { } cp) Flags.Remember(row.Key, cp);
            if (row.Flagged) Flags.Flag(row.Key);
            if (FailuresOf(row) is > 0 and var failures) _failures[row.Key] = failures;
            if (row.Kw is { } kw) _inForce[row.Key] = kw;
        }
    }

    /// <summary>Refusals in a row as stored; a flagged session counts as at least the flagging threshold.</summary>
    private static int FailuresOf(DeliveryStateRow row) => row.Flagged ? Math.Max(row.Failures, FailuresBeforeFlag) : row.Failures;

    /// <summary>Stores the state of every key changed since the last save.</summary>
    private async Task SaveAsync()
    {
        if (_dirty.IsEmpty) return;
        var rows = new List<DeliveryStateRow>();
        foreach (var key in _dirty.Keys.ToList())
        {
            _dirty.TryRemove(key, out _);
            double? kw = _inForce.TryGetValue(key, out var k) ? k : null;
            var flagged = Flags.IsFlagged(key);
            var failures = _failures.GetValueOrDefault(key);
            rows.Add(_networkOf.TryGetValue(key, out var network)
                ? new DeliveryStateRow(key, network, Flags.ChargePointOf(key), kw, flagged, failures)
                : new DeliveryStateRow(key, "", null, null, false));
        }
        await _store.SaveAsync(rows);
    }

    public DeliveryFlags Flags { get; }

    public async Task RunAsync(Action<Exception> onError, CancellationToken stop)
    {
        var bookkeeping = KeepBooksAsync(onError);
        try
        {
            try { await LoadAsync(); }
            catch (Exception e) when (e is not OperationCanceledException) { onError(e); }
            await foreach (var run in _queue.Reader.ReadAllAsync(stop))
            {
                // Only the newest plan of a network matters: skip runs already superseded in the queue.
                try
                {
                    if (_queue.Reader.TryPeek(out var next) && next.NetworkId == run.NetworkId) { LoopTrace.Mark("dlv.skipped"); continue; }
                    LoopTrace.Mark("dlv.begin", Iso.Format(run.Start));
                    var summary = await DeliverAsync(run, stop);
                    LoopTrace.Mark("dlv.delivered");
                    _books.Writer.TryWrite(summary);
                }
                catch (Exception e) when (e is not OperationCanceledException) { onError(e); }
                finally { run.MarkDelivered(); }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // shutting down
        }
        finally
        {
            _books.Writer.TryComplete();
            await bookkeeping;
        }
    }

    /// <summary>
    /// After each delivery run, off the next run's path: the run's summary event, then the delivery state changed since
    /// the last save. One at a time, in order; a burst of runs gives one save for all of them.
    /// </summary>
    private async Task KeepBooksAsync(Action<Exception> onError)
    {
        await foreach (var summary in _books.Reader.ReadAllAsync())
        {
            try
            {
                if (summary is not null) await summary();
                if (_books.Reader.TryPeek(out _)) continue; // the next run's books save this run's state too
                await SaveAsync();
                LoopTrace.Mark("dlv.saved");
            }
            catch (Exception e) { onError(e); }
            finally { LoopTrace.Flush(); }
        }
    }

    private int _traceSends, _traceAnswers;

    /// <returns>The run's summary event, to record after it (null when nothing was sent).</returns>
    private async Task<Func<Task>?> DeliverAsync(SchedulesPlanned run, CancellationToken stop)
    {
        _traceSends = _traceAnswers = 0;
        Forget(run);
        if (run.Objective == "off") return null;
        var connected = run.Schedules.Where(i => _gateway.IsConnected(i.Session.ChargePointId)).ToList();
        var presets = await _presets(run.CustomerId, run.NetworkId, connected.Select(i => i.Session.ChargePointId).ToList(), "TxProfile");
        var planned = new List<(PlannedSchedule Item, DeliverySettings Settings)>();
        foreach (var item in connected)
        {
            Flags.Remember(item.Session.Id, item.Session.ChargePointId);
            planned.Add((item, presets[item.Session.ChargePointId]));
        }
        var sequential = planned.Any(p => p.Settings.LimitDeliveryType == "Sequential");
        LoopTrace.Mark("dlv.presets", sequential ? "sequential" : "all");
        var results = new ConcurrentBag<bool>();
        var schedules = new ConcurrentDictionary<IReadOnlyList<SchedulePeriod>, IReadOnlyList<SchedulePeriod>>(SameSchedule.Instance);
        if (!sequential)
        {
            var sends = planned.GroupBy(p => p.Item.Session.ChargePointId)
                .Select(async charger => { foreach (var p in charger) results.Add(await SendAsync(run, p.Item, p.Settings, schedules, stop)); }).ToList();
            LoopTrace.Mark("dlv.queued");
            await Task.WhenAll(sends);
        }
        else
        {
            // Sequential: unchanged limits stay; every lowering is acknowledged before any raise is sent. A session without
            // a limit in force counts from 0 (a raise), so the limits in force on the chargers never sum above the site;
            // keeping a new car's draw low before its first profile is the job of reservedPower and TxDefaultProfile.
            var changed = planned.Where(p => !_inForce.TryGetValue(p.Item.Session.Id, out var kw) || Math.Abs(kw - First(p.Item)) > 1e-9).ToList();
            var lowering = changed.Where(p => First(p.Item) < _inForce.GetValueOrDefault(p.Item.Session.Id, 0)).ToList();
            await Task.WhenAll(lowering.Select(async p => results.Add(await SendAsync(run, p.Item, p.Settings, schedules, stop))));
            await Task.WhenAll(changed.Except(lowering).Select(async p => results.Add(await SendAsync(run, p.Item, p.Settings, schedules, stop))));
        }
        LoopTrace.Mark("dlv.answered", $"{results.Count}");
        var reserving = run.Reservations.Where(r => _gateway.IsConnected(r.ChargePointId)).ToList();
        var defaults = await _presets(run.CustomerId, run.NetworkId, reserving.Select(r => r.ChargePointId).ToList(), "TxDefaultProfile");
        foreach (var reservation in reserving)
            if (await ReserveAsync(run, reservation, defaults[reservation.ChargePointId], stop) is { } accepted) results.Add(accepted);
        LoopTrace.Mark("dlv.reserved");
        if (results.IsEmpty) return null;
        var (sent, ok) = (results.Count, results.Count(r => r));
        return () => _events.RecordAsync(run.CustomerId, run.NetworkId, EventLog.Delivery, sent == ok ? "Info" : "Warning",
            $"SetChargingProfile sent for {sent} session(s): {ok} accepted");
    }

    /// <summary>
    /// reservedPower for an idle connector (connector 0: the whole charger) goes out as its TxDefaultProfile, so a car
    /// that plugs in starts within the reserve until its own TxProfile arrives. Sent only when it changes; null if not sent.
    /// </summary>
    private async Task<bool?> ReserveAsync(SchedulesPlanned run, Reservation reservation, DeliverySettings settings, CancellationToken stop)
    {
        var key = "reserve:" + reservation.Key;
        _networkOf[key] = run.NetworkId;
        // Tied to its charger like a session, so a reconnect or a reboot (which loses the profile) sends it again.
        if (Flags.ChargePointOf(key) != reservation.ChargePointId) { Flags.Remember(key, reservation.ChargePointId); _dirty[key] = 0; }
        if (_inForce.TryGetValue(key, out var kw) && Math.Abs(kw - reservation.Kw) < 1e-9) return null;
        var request = new ChargingProfileRequest(reservation.ConnectorNumber, Optimizations.ProfileBuilder.ChargingProfileId(reservation.Key),
            "TxDefaultProfile", settings.StackLevel, null, "W", run.Start, run.Start + TimeSpan.FromHours(24),
            [new SchedulePeriod(0, Math.Floor(reservation.Kw * 10_000 + 1e-9) / 10, null)]);
        var outcome = Counted(await _gateway.SetChargingProfileAsync(reservation.ChargePointId, request, stop));
        var accepted = outcome.Status == ChargerCallOutcome.Answered && (string?)outcome.Result?["status"] == "Accepted";
        if (accepted) { _inForce[key] = reservation.Kw; _dirty[key] = 0; }
        return accepted;
    }

    /// <summary>Sessions of this network that are no longer planned have ended: drop what is remembered about them.</summary>
    private void Forget(SchedulesPlanned run)
    {
        var planned = run.Schedules.Select(i => i.Session.Id).Concat(run.Reservations.Select(r => "reserve:" + r.Key)).ToHashSet();
        foreach (var item in run.Schedules) _networkOf[item.Session.Id] = run.NetworkId;
        foreach (var (session, network) in _networkOf)
            if (network == run.NetworkId && !planned.Contains(session))
            {
                _networkOf.TryRemove(session, out _);
                _inForce.TryRemove(session, out _);
                _failures.TryRemove(session, out _);
                Flags.Forget(session);
                _dirty[session] = 0;
            }
    }

    /// <summary>Counts the outcome for /metrics: the charger's answer status, else how the call ended.</summary>
    private static ChargerCallOutcome Counted(ChargerCallOutcome outcome)
    {
        Cms.Core.Diagnostics.AmpMetrics.ProfileDelivered(outcome.Status == ChargerCallOutcome.Answered
            ? (string?)outcome.Result?["status"] ?? "Answered" : outcome.Status);
        return outcome;
    }

    private static double First(PlannedSchedule item) => item.LimitsKw.Length > 0 ? item.LimitsKw[0] : 0;

    /// <summary>True when the charger accepted the profile.</summary>
    /// <param name="schedules">This run's schedules so far: a session's schedule equal to one of them is sent as that one.</param>
    private async Task<bool> SendAsync(SchedulesPlanned run, PlannedSchedule item, DeliverySettings settings,
        ConcurrentDictionary<IReadOnlyList<SchedulePeriod>, IReadOnlyList<SchedulePeriod>> schedules, CancellationToken stop)
    {
        var request = Request(item, settings, run.Start);
        request = request with { Periods = schedules.GetOrAdd(request.Periods, request.Periods) };
        if (Interlocked.Exchange(ref _traceSends, 1) == 0) LoopTrace.Mark("dlv.firstsend");
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var outcome = Counted(await _gateway.SetChargingProfileAsync(item.Session.ChargePointId, request, stop));
            if (outcome.Status == ChargerCallOutcome.Disconnected) return false;
            var accepted = outcome.Status == ChargerCallOutcome.Answered && (string?)outcome.Result?["status"] == "Accepted";
            if (Interlocked.Exchange(ref _traceAnswers, 1) == 0) LoopTrace.Mark("dlv.firstanswer");
            if (accepted)
            {
                // Stored again only when something changed: "All" resends unchanged limits every run.
                var kw = First(item);
                var changed = !_inForce.TryGetValue(item.Session.Id, out var before) || before != kw;
                _inForce[item.Session.Id] = kw;
                changed |= _failures.TryRemove(item.Session.Id, out _);
                var unflagged = Flags.Clear(item.Session.Id);
                if (changed || unflagged) _dirty[item.Session.Id] = 0;
                if (unflagged) await Record(run, item, "Info", "charger accepts profiles again; session planned normally");
                return true; // accepted deliveries are summed up per run, not logged one by one
            }
            var why = outcome.Status == ChargerCallOutcome.Answered ? $"answered {(string?)outcome.Result?["status"]}" : $"{outcome.Status} {outcome.ErrorCode}";
            await Record(run, item, "Warning", $"SetChargingProfile attempt {attempt} not accepted: {why}");
        }
        _inForce.TryRemove(item.Session.Id, out _);
        _dirty[item.Session.Id] = 0; // the refusal count is stored too, so a restart does not reset it
        if (_failures.AddOrUpdate(item.Session.Id, 1, (_, n) => n + 1) >= FailuresBeforeFlag && Flags.Flag(item.Session.Id))
        {
            await Record(run, item, "Error", "charger keeps refusing profiles: session planned at its maximum so the others stay safe");
            _core.Events.Publish(new NetworkChanged(run.CustomerId, run.NetworkId, "delivery flagged a session"));
        }
        return false;
    }

    private ChargingProfileRequest Request(PlannedSchedule item, DeliverySettings settings, DateTimeOffset start)
    {
        var session = item.Session;
        // kW is no OCPP unit: W unless amperes are asked for (preset first, else the session's unit).
        var unit = (settings.ChargingRateUnit ?? session.ChargingRateUnit) == "A" ? "A" : "W";
        var txProfile = settings.ChargingProfilePurpose == "TxProfile" && session.TransactionId is not null && settings.UseTransactionId;
        var period = OptimizerInputBuilder.Period;
        var periods = item.LimitsKw.Select((kw, k) => new SchedulePeriod((int)(k * period.TotalSeconds),
            Math.Round(Optimizations.ProfileBuilder.Convert(session, kw, unit), 1), settings.NumberPhases ? session.Phases : null)).ToList();
        return new ChargingProfileRequest(session.ConnectorNumber, Optimizations.ProfileBuilder.ChargingProfileId(session.Id),
            txProfile ? "TxProfile" : "TxDefaultProfile", settings.StackLevel, txProfile ? session.TransactionId : null, unit,
            start, start + item.LimitsKw.Length * period, ScheduleCompression.Compress(periods, _maxPeriods));
    }

    private Task Record(SchedulesPlanned run, PlannedSchedule item, string urgency, string description) =>
        _events.RecordAsync(run.CustomerId, run.NetworkId, EventLog.Delivery, urgency, description,
            item.Session.ChargePointId, item.Session.ConnectorId, item.Session.Id);
}
