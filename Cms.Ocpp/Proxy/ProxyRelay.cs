using System.Collections.Concurrent;
using System.Threading.Channels;
using Cms.Core.Domain.Ocpp;
using Cms.Ocpp.Connection;
using Cms.Ocpp.Framing;
using Cms.Ocpp.Schemas;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Proxy;

/// <summary>
/// One proxied charger: its connection to AmpCMS and AmpCMS's client connection to the upstream CMS.
/// Charger calls go upstream and the upstream's answer goes back (the domain observes both); while the upstream is
/// away AmpCMS answers from its domain and queues what the upstream must see. Upstream calls go to the charger, and
/// the charger's answers to them go back upstream; AmpCMS's own calls (ids "amp-…") stay between AmpCMS and the charger.
/// This file: the charger side. See .Upstream.cs (socket, reconnect), .UpstreamCalls.cs (whose id is whose, profile policy)
/// and .Queue.cs (outage queue, replay, transaction id reconciliation).
/// </summary>
public sealed partial class ProxyRelay : IOcppRelay, IAsyncDisposable
{
    readonly OcppConnection _charger;
    readonly ChargerAdmitted _admitted;
    readonly ProxyTarget _target;
    readonly IOcppCallHandler _handler;
    readonly ProxyObserver _observer;
    readonly SchemaValidator _schemas;
    readonly IOcppFrameLog _log;
    readonly OcppEventLog _events;
    readonly ProxyOptions _options;
    readonly TimeProvider _time;
    readonly ILogger _logger;
    readonly CancellationTokenSource _lifetime = new();
    /// <summary>Charger calls in arrival order; null asks the worker to replay the outage queue (the upstream is back).</summary>
    readonly Channel<CallFrame?> _chargerCalls = Channel.CreateUnbounded<CallFrame?>(new UnboundedChannelOptions { SingleReader = true });
    Task _callWorker = Task.CompletedTask;

    public ProxyRelay(OcppConnection charger, IOcppCallHandler handler, ProxyObserver observer, SchemaValidator schemas, IOcppFrameLog log,
        OcppEventLog events, ProxyOptions options, TimeProvider time, ILogger logger)
    {
        _charger = charger;
        _admitted = (ChargerAdmitted)charger.Info.AuthContext!;
        _target = _admitted.Proxy!;
        _handler = handler;
        _observer = observer;
        _schemas = schemas;
        _log = log;
        _events = events;
        _options = options;
        _time = time;
        _logger = logger;
    }

    OcppVersion Version => _charger.Info.Version;

    /// <summary>Starts the workers and waits (up to ConnectTimeout) for the first upstream connection, so the boot goes upstream.</summary>
    public async Task StartAsync()
    {
        _callWorker = Task.Run(() => ProcessChargerCallsAsync(_lifetime.Token));
        _upstreamLoop = Task.Run(() => UpstreamLoopAsync(_lifetime.Token));
        try { await _firstAttempt.Task.WaitAsync(_options.ConnectTimeout, _lifetime.Token); }
        catch (TimeoutException) { /* the charger is served locally until the upstream comes */ }
    }

    public bool OnChargerFrame(OcppFrame frame, string raw)
    {
        if (_lifetime.IsCancellationRequested) return false;
        switch (frame)
        {
            case CallFrame call:
                Log(OcppFrameDirection.Incoming, raw, call, call.Action, "Charger");
                _chargerCalls.Writer.TryWrite(call);
                return true;
            default:
                // An answer to an upstream call goes back upstream; one to AmpCMS's own call stays with the connection.
                if (!_upstreamCallIds.TryRemove(frame.MessageId, out var upstreamCall)) return false;
                Log(OcppFrameDirection.Incoming, raw, frame, upstreamCall.Action, "Charger");
                var back = upstreamCall.UpstreamId == frame.MessageId ? raw : OcppFrameSerializer.Serialize(frame with { MessageId = upstreamCall.UpstreamId });
                _ = SendUpstreamAsync(back);
                return true;
        }
    }

    public string NewOwnMessageId() => ProxyOptions.OwnIdPrefix + Guid.NewGuid().ToString("N");

    /// <summary>One charger call at a time, in order: relayed while the upstream is up, else answered here and queued.</summary>
    async Task ProcessChargerCallsAsync(CancellationToken ct)
    {
        // Only this worker touches the outage queue, so queued frames and live ones reach the upstream in charger order.
        await foreach (var call in _chargerCalls.Reader.ReadAllAsync(ct))
        {
            try
            {
                var drained = await ReplayQueueAsync(ct);
                if (call is null) continue;
                if (drained && await RelayAsync(call, ct)) continue;
                // Upstream away, or it failed us mid-call: answer from the domain as in cms mode, and queue it for the upstream.
                var answer = await AnswerLocallyAsync(call, ct);
                Enqueue(call, answer);
                await SendToChargerAsync(answer, call.Action, "AmpCMS", ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Proxy relay failed a call {Action} of {OcppId}", call?.Action, _admitted.OcppId);
            }
        }
    }

    /// <summary>Sends the call upstream and relays its answer; false when the upstream dropped or did not answer in time.</summary>
    async Task<bool> RelayAsync(CallFrame call, CancellationToken ct)
    {
        var outgoing = call with { Payload = ToUpstreamTransactionIds(call.Action, call.Payload) };
        var answer = await CallUpstreamAsync(outgoing, ct);
        if (answer is null) return false;
        if (answer.Value.Frame is CallResultFrame result)
        {
            try { await _observer.ObserveAsync(_charger.Info, call.Action, call.Payload, result.Payload, ct); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The upstream is the master: its answer still reaches the charger.
                _logger.LogWarning(e, "Proxy: {Action} of {OcppId} could not be observed", call.Action, _admitted.OcppId);
            }
        }
        await SendToChargerAsync(answer.Value.Frame, answer.Value.Raw, call.Action, "External", ct);
        return true;
    }

    async Task<OcppFrame> AnswerLocallyAsync(CallFrame call, CancellationToken ct)
    {
        var check = _schemas.Validate(Version, call.Action, SchemaKind.Request, call.Payload);
        if (!check.IsValid)
            return OcppFrameSerializer.Error(call.MessageId, check.ErrorCode, Version, check.Description);
        try
        {
            return new CallResultFrame(call.MessageId, await _handler.HandleAsync(_charger.Info, call.Action, call.Payload, ct));
        }
        catch (OcppCallException e)
        {
            return OcppFrameSerializer.Error(call.MessageId, e.Code, Version, e.Description, e.Details);
        }
    }

    Task SendToChargerAsync(OcppFrame frame, string action, string source, CancellationToken ct) =>
        SendToChargerAsync(frame, OcppFrameSerializer.Serialize(frame), action, source, ct);

    async Task SendToChargerAsync(OcppFrame frame, string raw, string? action, string source, CancellationToken ct)
    {
        await _charger.SendTextAsync(raw, ct);
        Log(OcppFrameDirection.Outgoing, raw, frame, action, source);
    }

    void Log(OcppFrameDirection direction, string raw, OcppFrame frame, string? action, string source)
    {
        try { _log.Record(new OcppFrameLogEntry(_charger.Info, direction, raw, action, frame.Type, frame.MessageId, _time.GetUtcNow(), source)); }
        catch (Exception e) { _logger.LogError(e, "Proxy frame log failed for {OcppId}", _admitted.OcppId); }
    }

    /// <summary>The charger left: its upstream connection closes too.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_lifetime.IsCancellationRequested) return;
        _chargerCalls.Writer.TryComplete();
        await CloseUpstreamAsync("charger disconnected");
        _lifetime.Cancel();
        await Task.WhenAll(_callWorker, _upstreamLoop).ContinueWith(_ => { }, TaskScheduler.Default);
        _lifetime.Dispose();
    }
}
