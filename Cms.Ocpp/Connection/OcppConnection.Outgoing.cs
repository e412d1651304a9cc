using System.Threading.Channels;
using Cms.Ocpp.Framing;
using Cms.Ocpp.Schemas;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Connection;

/// <summary>Us → charger: one outstanding CALL, the rest queued in order, each with a timeout.</summary>
public sealed partial class OcppConnection
{
    sealed class PendingCall(string action, JObject? payload, string? payloadText, TimeSpan timeout)
    {
        public string Action { get; } = action;
        public JObject? Payload { get; } = payload;
        /// <summary>The payload as JSON text, already checked (<see cref="CallCheckedAsync"/>); null when <see cref="Payload"/> is given.</summary>
        public string? PayloadText { get; } = payloadText;
        public TimeSpan Timeout { get; } = timeout;
        public string? MessageId { get; set; }
        public TaskCompletionSource<OcppCallResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        /// <summary>The line is free again: answered or timed out. A cancelled caller does not free it,
        /// the charger may still be working on the call.</summary>
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    // Not bounded in practice; a bounded channel's queue starts empty, while an unbounded one preallocates a 32-slot
    // segment: about 0.7 KiB on every idle connection.
    readonly Channel<PendingCall> _outgoingCalls = Channel.CreateBounded<PendingCall>(
        new BoundedChannelOptions(int.MaxValue) { SingleReader = true });
    readonly Lock _gate = new();
    PendingCall? _current;
    readonly List<PendingCall> _queued = [];

    /// <summary>
    /// Sends a CALL once the previous one is answered or timed out. Never throws for transport
    /// problems: the result says Timeout/Closed/Cancelled (cancelling only releases the caller; the
    /// next call still waits for the charger's answer or the timeout). Throws <see cref="OcppCallException"/> at once when the
    /// payload breaks the request schema (a bug on our side, nothing is sent).
    /// </summary>
    public Task<OcppCallResult> CallAsync(string action, JObject payload, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var check = _schemas.Validate(Info.Version, action, SchemaKind.Request, payload);
        if (!check.IsValid)
            throw new OcppCallException(check.ErrorCode, check.Description);
        return Enqueue(new PendingCall(action, payload, null, timeout ?? _options.DefaultCallTimeout), cancellationToken);
    }

    /// <summary>
    /// <see cref="CallAsync"/> for a payload given as JSON text that the caller has already checked against the
    /// request schema of this connection's version (e.g. <see cref="V16.SetChargingProfile16Shape"/>: one check for
    /// many chargers). Sent as given, without another check.
    /// </summary>
    public Task<OcppCallResult> CallCheckedAsync(string action, string payloadJson, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        Enqueue(new PendingCall(action, null, payloadJson, timeout ?? _options.DefaultCallTimeout), cancellationToken);

    Task<OcppCallResult> Enqueue(PendingCall call, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_outgoingCalls.Writer.TryWrite(call))
                return Task.FromResult(new OcppCallResult(OcppCallStatus.Closed));
            _queued.Add(call);
        }
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() => call.Result.TrySetResult(new OcppCallResult(OcppCallStatus.Cancelled)));
            call.Result.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        }
        return call.Result.Task;
    }

    /// <summary>[2, id, action, payload] around a payload that is JSON text already; the same text the serializer writes.</summary>
    static string CallText(string messageId, string action, string payloadJson) =>
        string.Concat("[2,", JsonConvert.ToString(messageId), ",", JsonConvert.ToString(action), ",", payloadJson, "]");

    /// <summary>Number of server→charger calls sent and not answered, plus those waiting behind it.</summary>
    public int PendingCallCount
    {
        get { lock (_gate) return _queued.Count + (_current is null ? 0 : 1); }
    }

    async Task ProcessOutgoingAsync(CancellationToken ct)
    {
        while (await _outgoingCalls.Reader.WaitToReadAsync(ct))
        while (_outgoingCalls.Reader.TryRead(out var call))
        {
            lock (_gate)
            {
                _queued.Remove(call);
                if (call.Result.Task.IsCompleted)
                    continue; // cancelled while waiting in the queue
                call.MessageId = Relay?.NewOwnMessageId() ?? _options.MessageIdFactory();
                _current = call;
            }
            try
            {
                // The timer starts before the send so a fast answer can never race it.
                using var timeout = new CancellationTokenSource(call.Timeout, _time);
                using var onTimeout = timeout.Token.Register(() =>
                {
                    call.Result.TrySetResult(new OcppCallResult(OcppCallStatus.Timeout));
                    call.Done.TrySetResult();
                });
                if (call.Payload is { } payload) await SendFrameAsync(new CallFrame(call.MessageId, call.Action, payload), call.Action, ct);
                else await SendTextFrameAsync(CallText(call.MessageId, call.Action, call.PayloadText!), call.Action, OcppMessageType.Call, call.MessageId, ct);
                await call.Done.Task.WaitAsync(ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogInformation("Could not send {Action} to {ChargePointId}: {Reason}", call.Action, Info.OcppId, ex.Message);
            }
            finally
            {
                // Still open here only if the connection ended under us.
                call.Result.TrySetResult(new OcppCallResult(OcppCallStatus.Closed));
                lock (_gate)
                    _current = null;
            }
        }
    }

    void OnResponse(OcppFrame frame, string raw)
    {
        PendingCall? call;
        lock (_gate)
            call = _current is { } c && c.MessageId == frame.MessageId ? c : null;
        LogFrame(OcppFrameDirection.Incoming, raw, call?.Action, frame.Type, frame.MessageId);
        if (call is null)
        {
            // Late (after timeout) or unsolicited; OCPP forbids answering a response.
            _logger.LogWarning("Uncorrelated {Type} {MessageId} from {ChargePointId}", frame.Type, frame.MessageId, Info.OcppId);
            return;
        }

        var result = frame switch
        {
            CallResultFrame r => ToResult(call.Action, r),
            CallErrorFrame e => new OcppCallResult(OcppCallStatus.Error, null, e.Code, e.Description, e.Details),
            _ => throw new InvalidOperationException("Not a response frame"),
        };
        call.Result.TrySetResult(result);
        call.Done.TrySetResult();
    }

    OcppCallResult ToResult(string action, CallResultFrame frame)
    {
        var check = _schemas.Validate(Info.Version, action, SchemaKind.Response, frame.Payload);
        return check.IsValid
            ? new OcppCallResult(OcppCallStatus.Result, frame.Payload)
            : new OcppCallResult(OcppCallStatus.InvalidResponse, frame.Payload,
                check.ErrorCode.ToWire(Info.Version), check.Description);
    }

    void FailAllPendingCalls()
    {
        var closed = new OcppCallResult(OcppCallStatus.Closed);
        while (_outgoingCalls.Reader.TryRead(out var queued))
            queued.Result.TrySetResult(closed);
        lock (_gate)
        {
            _current?.Result.TrySetResult(closed);
            foreach (var call in _queued)
                call.Result.TrySetResult(closed);
            _queued.Clear();
        }
    }
}
