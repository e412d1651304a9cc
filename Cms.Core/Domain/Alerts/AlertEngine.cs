using System.Collections.Concurrent;
using System.Threading.Channels;
using Cms.Core.Domain.MeterValues;
using Cms.Core.Domain.Optimizations;
using Cms.Core.Domain.StatusHistory;
using Cms.Core.Resources;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Alerts;

/// <summary>
/// Raises and resolves alerts from live charger traffic. Publishers only enqueue (the charger path never waits for an
/// alert); one loop works through the queue in order, keeps the open alerts in memory, and touches the store only when
/// an alert is raised or cleared. Each raise and resolution is an event on /v2/events and a POST to the network's webhook.
/// </summary>
public sealed class AlertEngine
{
    /// <summary>Measured power may exceed the limit by max(1 kW, 10 %) before it is a violation (meters and chargers are not exact).</summary>
    public const double ToleranceKw = 1.0;
    public const double ToleranceShare = 0.1;

    private readonly record struct Key(string? ChargePointId, string? ConnectorId, string Name, string Subject);
    private sealed record Open(string AlertId, string CustomerId, string NetworkId);

    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new() { SingleReader = true });
    private readonly ConcurrentDictionary<Key, Open> _open = new();
    private readonly ConcurrentDictionary<string, int> _callErrorsOpen = new();
    private readonly LimitTracker _limits = new();
    private readonly AlertRecorder _recorder;
    private readonly AlertWebhook _webhook;

    public AlertEngine(CoreContext core, AlertRecorder recorder, AlertWebhook webhook)
    {
        _recorder = recorder;
        _webhook = webhook;
        core.Events.Subscribe<ChargerStateChanged>(Enqueue);
        core.Events.Subscribe<PowerMeasured>(Enqueue);
        core.Events.Subscribe<SchedulesPlanned>(Enqueue);
    }

    /// <summary>Signals from the OCPP layer (CALLERROR / CALLRESULT frames).</summary>
    public void Enqueue(object signal) => _queue.Writer.TryWrite(signal);

    /// <summary>Cheap check for the frame path: only a charger with an open CALL_ERROR needs its CALLRESULTs seen.</summary>
    public bool HasOpenCallError(string chargePointId) => _callErrorsOpen.ContainsKey(chargePointId);

    /// <summary>Signals handled so far; tests and benches wait on it.</summary>
    public long Processed => Interlocked.Read(ref _processed);
    private long _processed;

    public async Task RunAsync(Action<Exception> onError, CancellationToken stop)
    {
        foreach (var a in await _recorder.OpenAsync())
        {
            var subject = a.Name == AlertCatalog.MeterValueLimitViolation ? a.Session ?? ""
                : a.Name == AlertCatalog.CallError && a.Details is { } d ? (string?)JObject.Parse(d)["action"] ?? "" : "";
            Track(new Key(a.Charger, a.Connector, a.Name, subject), new Open(a.Id, a.CustomerId, a.NetworkId));
        }
        try
        {
            await foreach (var signal in _queue.Reader.ReadAllAsync(stop))
            {
                try { await HandleAsync(signal, stop); }
                catch (Exception e) when (e is not OperationCanceledException) { onError(e); }
                Interlocked.Increment(ref _processed);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // shutting down
        }
    }

    private Task HandleAsync(object signal, CancellationToken stop) => signal switch
    {
        ChargerStateChanged { Kind: StatusHistoryLog.Online } c => OnlineAsync(c, stop),
        ChargerStateChanged c => StatusAsync(c, stop),
        PowerMeasured p => PowerAsync(p, stop),
        SchedulesPlanned run => PlannedAsync(run, stop),
        CallErrorReceived e => CallErrorAsync(e, stop),
        CallAnswered a => CallAnsweredAsync(a, stop),
        _ => Task.CompletedTask,
    };

    private async Task OnlineAsync(ChargerStateChanged c, CancellationToken stop)
    {
        var key = new Key(c.ChargePointId, null, AlertCatalog.ChargerDisconnected, "");
        if (c.Status == "OFFLINE")
            await RaiseAsync(key, new AlertCondition(c.CustomerId, c.NetworkId, key.Name, c.ChargePointId, null, null, c.At,
                new JObject { ["onlineStatus"] = "OFFLINE" }), stop);
        else
            await ResolveAsync(key, c.At, "the charger connected again", stop);
    }

    /// <summary>A status notification raises the alerts of its status and error code and clears those of the connector's previous ones.</summary>
    private async Task StatusAsync(ChargerStateChanged c, CancellationToken stop)
    {
        var wanted = new HashSet<string>();
        if (AlertCatalog.StatusAlerts.TryGetValue(c.Status, out var byStatus)) wanted.Add(byStatus);
        if (c.ErrorCode is { } code && AlertCatalog.ErrorCodeAlerts.TryGetValue(code, out var byCode)) wanted.Add(byCode);
        foreach (var key in _open.Keys.Where(k => k.ChargePointId == c.ChargePointId && k.ConnectorId == c.ConnectorId
                     && AlertCatalog.StatusNotificationNames.Contains(k.Name) && !wanted.Contains(k.Name)).ToList())
            await ResolveAsync(key, c.At, $"status {c.Status}, error code {c.ErrorCode ?? "none"}", stop);
        foreach (var name in wanted)
            await RaiseAsync(new Key(c.ChargePointId, c.ConnectorId, name, ""), new AlertCondition(c.CustomerId, c.NetworkId, name,
                c.ChargePointId, c.ConnectorId, null, c.At,
                new JObject { ["connectorId"] = c.ConnectorNumber, ["status"] = c.Status, ["errorCode"] = c.ErrorCode }), stop);
    }

    private async Task PowerAsync(PowerMeasured p, CancellationToken stop)
    {
        var key = new Key(p.ChargePointId, p.ConnectorId, AlertCatalog.MeterValueLimitViolation, p.SessionId);
        if (_limits.LimitAt(p.SessionId, p.At) is not { } limit) return;
        if (p.Kw > limit + Math.Max(ToleranceKw, ToleranceShare * limit))
            await RaiseAsync(key, new AlertCondition(p.CustomerId, p.NetworkId, key.Name, p.ChargePointId, p.ConnectorId, p.SessionId, p.At,
                new JObject { ["measuredKw"] = Math.Round(p.Kw, 3), ["limitKw"] = Math.Round(limit, 3) }), stop);
        else if (_open.ContainsKey(key)) // the text only for an alert to resolve: this runs for every reading of power
            await ResolveAsync(key, p.At, $"measured {p.Kw:0.###} kW within the limit of {limit:0.###} kW", stop);
    }

    private async Task PlannedAsync(SchedulesPlanned run, CancellationToken stop)
    {
        foreach (var session in _limits.Update(run))
            foreach (var key in _open.Keys.Where(k => k.Name == AlertCatalog.MeterValueLimitViolation && k.Subject == session).ToList())
                await ResolveAsync(key, run.Start, "the session is no longer planned", stop);
    }

    private Task CallErrorAsync(CallErrorReceived e, CancellationToken stop)
    {
        var key = new Key(e.ChargePointId, null, AlertCatalog.CallError, e.Action ?? "");
        return RaiseAsync(key, new AlertCondition(e.CustomerId, e.NetworkId, key.Name, e.ChargePointId, null, null, e.At,
            new JObject { ["action"] = e.Action, ["errorCode"] = e.ErrorCode, ["errorDescription"] = e.Description }), stop);
    }

    private Task CallAnsweredAsync(CallAnswered a, CancellationToken stop) =>
        ResolveAsync(new Key(a.ChargePointId, null, AlertCatalog.CallError, a.Action ?? ""), a.At, $"the charger accepted {a.Action}", stop);

    private async Task RaiseAsync(Key key, AlertCondition condition, CancellationToken stop)
    {
        if (_open.ContainsKey(key)) return; // already raised: one alert per condition
        var alert = await _recorder.RaiseAsync(condition);
        if (alert is null) return;
        Track(key, new Open((string)alert["id"]!, condition.CustomerId, condition.NetworkId));
        Notify(condition.NetworkId, alert, stop);
    }

    private async Task ResolveAsync(Key key, DateTimeOffset at, string why, CancellationToken stop)
    {
        if (!_open.TryRemove(key, out var open)) return;
        if (key.Name == AlertCatalog.CallError && key.ChargePointId is { } cp
            && _callErrorsOpen.AddOrUpdate(cp, 0, (_, n) => n - 1) <= 0)
            _callErrorsOpen.TryRemove(cp, out _);
        var alert = await _recorder.ResolveAsync(open.CustomerId, open.AlertId, at, why);
        if (alert is not null) Notify(open.NetworkId, alert, stop);
    }

    private void Track(Key key, Open open)
    {
        _open[key] = open;
        if (key.Name == AlertCatalog.CallError && key.ChargePointId is { } cp) _callErrorsOpen.AddOrUpdate(cp, 1, (_, n) => n + 1);
    }

    /// <summary>The webhook gets its own task: a slow receiver never delays the next alert.</summary>
    private void Notify(string networkId, JObject alert, CancellationToken stop) =>
        _ = Task.Run(async () =>
        {
            try { await _webhook.SendAsync(networkId, alert, stop); }
            catch (Exception) { /* best effort: the alert is stored and in /v2/events */ }
        }, CancellationToken.None);
}
