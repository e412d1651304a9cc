using System.Threading.Channels;
using Cms.Core.Domain.Ocpp;
using Cms.Ocpp.Connection;
using Cms.Ocpp.Framing;
using Cms.Ocpp.Schemas;
using Microsoft.Extensions.Logging;

namespace Cms.Ocpp.Proxy;

/// <summary>
/// One proxied charger: its connection to AmpCMS and AmpCMS's client connection to the upstream CMS.
/// Charger calls go upstream and the upstream's answer goes back (the domain observes both); while the upstream is
/// away AmpCMS answers from its domain and queues (durably) what the upstream must see. Upstream calls go to the
/// charger, and the charger's answers to them go back upstream; AmpCMS's own calls (ids "amp-…") stay between AmpCMS
/// and the charger. A relay whose charger has left keeps only the upstream side to replay the queue, then ends
/// (<see cref="Drained"/>).
/// This file: the charger side. See .Upstream.cs (socket, reconnect), .UpstreamCalls.cs (whose id is whose, profile
/// policy), .Queue.cs (outage queue, replay, transaction id reconciliation) and .Refusals.cs (the upstream's CALLERRORs).
/// </summary>
public sealed partial class ProxyRelay : IOcppRelay, IAsyncDisposable
{
    readonly OcppConnectionInfo _info;
    readonly OcppConnection _charger;
    readonly ChargerAdmitted _admitted;
    readonly ProxyTarget _target;
    readonly ProxyRelayContext _context;
    readonly ProxyOptions _options;
    readonly TimeProvider _time;
    readonly ILogger _logger;
    readonly CancellationTokenSource _lifetime = new();
    /// <summary>Charger calls in arrival order; null asks the worker to replay the outage queue (the upstream is back).</summary>
    readonly Channel<CallFrame?> _chargerCalls = Channel.CreateUnbounded<CallFrame?>(new UnboundedChannelOptions { SingleReader = true });
    readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    Task _callWorker = Task.CompletedTask;
    volatile bool _chargerGone;

    public ProxyRelay(OcppConnection charger, ProxyRelayContext context)
    {
        _info = charger.Info;
        _charger = charger;
        _admitted = (ChargerAdmitted)_info.AuthContext!;
        _target = _admitted.Proxy!;
        _context = context;
        _options = context.Options;
        _time = context.Time;
        _logger = context.Logger;
    }

    OcppVersion Version => _info.Version;

    public string ChargePointId => _admitted.ChargePointId;

    /// <summary>Completes when the charger has left and its outage queue has reached the upstream.</summary>
    public Task Drained => _drained.Task;

    /// <summary>Starts the workers and waits (up to ConnectTimeout) for the first upstream connection, so the boot goes upstream.</summary>
    public async Task StartAsync()
    {
        await LoadTransactionIdsAsync();
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

    /// <summary>
    /// The charger left. With nothing queued the relay ends now (its upstream connection closes); otherwise it keeps
    /// the upstream side until the queue has been replayed: <see cref="Drained"/> completes then.
    /// </summary>
    public void ChargerLeft()
    {
        _chargerGone = true;
        _chargerCalls.Writer.TryWrite(null);
    }

    /// <summary>One charger call at a time, in order: relayed while the upstream is up, else answered here and queued.</summary>
    async Task ProcessChargerCallsAsync(CancellationToken ct)
    {
        // Only this worker touches the outage queue, so queued frames and live ones reach the upstream in charger order.
        await foreach (var call in _chargerCalls.Reader.ReadAllAsync(ct))
        {
            try
            {
                var empty = await TryReplayQueueAsync(ct);
                if (call is null)
                {
                    if (_chargerGone && empty) _drained.TrySetResult();
                    continue;
                }
                if (empty && await RelayAsync(call, ct)) continue;
                // Upstream away, or it failed us mid-call: answer from the domain as in cms mode, and queue it for the upstream.
                var answer = await AnswerLocallyAsync(call, ct);
                await EnqueueAsync(call, answer); // stored before the charger hears it was received
                await SendToChargerAsync(answer, call.Action, "AmpCMS", ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Proxy relay failed a call {Action} of {OcppId}", call?.Action, _admitted.OcppId);
            }
        }
    }

    /// <summary>A replay that fails (the store) must not keep the charger's call from its answer: AmpCMS answers and queues it.</summary>
    async Task<bool> TryReplayQueueAsync(CancellationToken ct)
    {
        try { return await ReplayQueueAsync(ct); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning(e, "Proxy: the outage queue of {OcppId} could not be replayed now", _admitted.OcppId);
            return false;
        }
    }

    /// <summary>Sends the call upstream and relays its answer; false when the upstream dropped or did not answer in time.</summary>
    async Task<bool> RelayAsync(CallFrame call, CancellationToken ct)
    {
        var payload = ToUpstreamTransactionIds(call.Action, call.Payload);
        if (_options.ChargingProfilePolicy == UpstreamProfilePolicy.Below && UpstreamProfiles.ForUpstream(call.Action, payload) is { } restored)
            payload = restored;
        var answer = await CallUpstreamAsync(call with { Payload = payload }, ct);
        if (answer is null) return false;
        await AfterUpstreamAnswerAsync(call.Action, call.Payload, answer.Value.Frame);
        try
        {
            if (answer.Value.Frame is CallResultFrame result && ShouldObserve(call))
                await _context.Observer.ObserveAsync(_info, call.Action, call.Payload, result.Payload, ct);
            else if (answer.Value.Frame is CallErrorFrame error)
                await RefusedAsync(call, error, replayed: false, localTransactionId: null, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The upstream is the master: its answer still reaches the charger.
            _logger.LogWarning(e, "Proxy: {Action} of {OcppId} could not be observed", call.Action, _admitted.OcppId);
        }
        await SendToChargerAsync(answer.Value.Frame, answer.Value.Raw, call.Action, "External", ct);
        return true;
    }

    async Task<OcppFrame> AnswerLocallyAsync(CallFrame call, CancellationToken ct)
    {
        var check = _context.Schemas.Validate(Version, call.Action, SchemaKind.Request, call.Payload);
        if (!check.IsValid)
            return OcppFrameSerializer.Error(call.MessageId, check.ErrorCode, Version, check.Description);
        try
        {
            return new CallResultFrame(call.MessageId, await _context.Handler.HandleAsync(_info, call.Action, call.Payload, ct));
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
        if (_chargerGone) return;
        // Logged first: the charger's answer may be read and logged before this send returns.
        Log(OcppFrameDirection.Outgoing, raw, frame, action, source);
        await _charger.SendTextAsync(raw, ct);
    }

    void Log(OcppFrameDirection direction, string raw, OcppFrame frame, string? action, string source)
    {
        try { _context.Log.Record(new OcppFrameLogEntry(_info, direction, raw, action, frame.Type, frame.MessageId, _time.GetUtcNow(), source)); }
        catch (Exception e) { _logger.LogError(e, "Proxy frame log failed for {OcppId}", _admitted.OcppId); }
    }

    /// <summary>Ends the relay: its upstream connection closes (what is still queued stays stored).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_lifetime.IsCancellationRequested) return;
        _chargerCalls.Writer.TryComplete();
        await CloseUpstreamAsync(_chargerGone ? "charger disconnected" : "relay closed");
        _lifetime.Cancel();
        await Task.WhenAll(_callWorker, _upstreamLoop).ContinueWith(_ => { }, TaskScheduler.Default);
        _drained.TrySetCanceled();
        _lifetime.Dispose();
    }
}
