using System.Net.WebSockets;
using System.Threading.Channels;
using Cms.Ocpp.Framing;
using Cms.Ocpp.Schemas;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Connection;

/// <summary>Charger → us: validate, dispatch to the handler, validate the answer, reply. One at a time, in order.</summary>
public sealed partial class OcppConnection
{
    /// <summary>Either a CALL to handle or an unparseable frame to answer with a CALLERROR.</summary>
    sealed record IncomingWork(CallFrame? Call, FrameParseResult? Invalid);

    /// <summary>CALLs read and not yet answered. A charger that keeps sending but never reads our answers fills it
    /// (its answers wait on a full socket); then the connection is closed rather than letting the queue grow.</summary>
    readonly Channel<IncomingWork> _incomingCalls = Channel.CreateBounded<IncomingWork>(
        new BoundedChannelOptions(MaxUnansweredCalls) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    const int MaxUnansweredCalls = 256;
    int _closingForBackpressure;

    /// <summary>CALLs read and not yet answered, and when the last frame arrived: for draining on shutdown.</summary>
    int _unanswered;
    long _lastFrameTicks;
    static readonly TimeSpan QuietBeforeClose = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Shutdown: waits (up to <paramref name="timeout"/>) until every CALL already read has been answered, then closes
    /// with 1001 Going Away. The receive loop still reads meanwhile, so a charger mid-conversation is not cut off.
    /// </summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        // Wall-clock on purpose: shutdown happens in real time even where the domain runs on injected time.
        // A CALL still on its way cannot be answered once our close frame is out, so wait until the charger has been
        // quiet for a moment as well as until every CALL read is answered.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((Volatile.Read(ref _unanswered) > 0 || System.Diagnostics.Stopwatch.GetElapsedTime(Volatile.Read(ref _lastFrameTicks)) < QuietBeforeClose)
               && clock.Elapsed < timeout && !Completion.IsCompleted)
            await Task.Delay(TimeSpan.FromMilliseconds(10));
        await CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "Server shutting down");
    }

    void QueueIncoming(IncomingWork work)
    {
        Interlocked.Increment(ref _unanswered);
        if (_incomingCalls.Writer.TryWrite(work))
            return;
        Interlocked.Decrement(ref _unanswered);
        if (_incomingCalls.Reader.Completion.IsCompleted)
            return;
        if (Interlocked.Exchange(ref _closingForBackpressure, 1) == 1)
            return;
        _logger.LogWarning("OCPP connection {ChargePointId} does not read its answers ({Count} unanswered calls); closing it", Info.OcppId, MaxUnansweredCalls);
        // Its socket is full, so no close frame could leave: abort, which fails its pending calls at once.
        CloseStatus = WebSocketCloseStatus.PolicyViolation;
        CloseReason = "Not reading answers";
        _socket.Abort();
        _lifetime.Cancel();
    }

    async Task ProcessIncomingAsync(CancellationToken ct)
    {
        // WaitToReadAsync/TryRead rather than ReadAllAsync: an idle connection then holds no async enumerator.
        while (await _incomingCalls.Reader.WaitToReadAsync(ct))
        while (_incomingCalls.Reader.TryRead(out var work))
        {
            var reply = work.Call is { } call
                ? await AnswerAsync(call, ct)
                : Error(work.Invalid!.ErrorMessageId, work.Invalid.ErrorCode, work.Invalid.ErrorDescription);
            try { await SendFrameAsync(reply, work.Call?.Action, ct); }
            finally { Interlocked.Decrement(ref _unanswered); }
        }
    }

    /// <summary>
    /// The frequent CALLs whose handlers never call the charger back (they only store and publish) are answered by the
    /// receive loop itself, which saves the hop to the incoming worker and back (a thread-pool wake-up per message).
    /// Only when nothing else of this charger is queued or being answered, so answers keep the order of the calls;
    /// meanwhile the loop reads nothing more, which is what a charger with one CALL outstanding expects anyway.
    /// A handler that awaited a CALLRESULT from this charger here would wait for a frame nobody reads: never add one.
    /// </summary>
    static bool IsAnsweredInline(string action) => action is "MeterValues" or "StatusNotification" or "Heartbeat";

    bool AnswersInline(CallFrame call) => IsAnsweredInline(call.Action) && Volatile.Read(ref _unanswered) == 0;

    async Task AnswerHereAsync(CallFrame call, CancellationToken ct)
    {
        Interlocked.Increment(ref _unanswered);
        try { await SendFrameAsync(await AnswerAsync(call, ct), call.Action, ct); }
        finally { Interlocked.Decrement(ref _unanswered); }
    }

    /// <summary>Whatever one CALL does, it gets one answer and the worker lives on: a dead worker would leave every later
    /// CALL of this charger unanswered while the socket stays open.</summary>
    /// <remarks>ValueTask here and in <see cref="HandleCallAsync"/>: the inline answers complete synchronously, and a Task
    /// of each per message was two allocations more.</remarks>
    async ValueTask<OcppFrame> AnswerAsync(CallFrame call, CancellationToken ct)
    {
        try
        {
            return await HandleCallAsync(call, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            _logger.LogError(ex, "Answering {Action} from {ChargePointId} failed", call.Action, Info.OcppId);
            return Error(call.MessageId, OcppErrorCode.InternalError, "Internal error");
        }
    }

    async ValueTask<OcppFrame> HandleCallAsync(CallFrame call, CancellationToken ct)
    {
        var version = Info.Version;
        if (!_schemas.IsKnownAction(version, call.Action))
            return Error(call.MessageId, OcppErrorCode.NotImplemented, $"Action '{call.Action}' is not known in {version.ToSubprotocol()}");
        if (!OcppActions.IsChargerInitiated(version, call.Action))
            return Error(call.MessageId, OcppErrorCode.NotSupported, $"Action '{call.Action}' is sent by the CSMS, not by a charger");

        if (call.Command is null)
        {
            var request = _schemas.Validate(version, call.Action, SchemaKind.Request, call.Payload);
            if (!request.IsValid)
                return Error(call.MessageId, request.ErrorCode, request.Description, request.Path);
        }

        try
        {
            var response = call.Command is null
                ? await _handler.HandleAsync(Info, call.Action, call.Payload, ct)
                : await _handler.HandleCommandAsync(Info, call, ct);
            var check = _schemas.Validate(version, call.Action, SchemaKind.Response, response);
            if (check.IsValid)
                return new CallResultFrame(call.MessageId, response);
            // Our bug, not the charger's: do not send a payload that breaks the spec.
            _logger.LogError("Handler response for {Action} from {ChargePointId} fails the schema: {Reason}", call.Action, Info.OcppId, check.Description);
            return Error(call.MessageId, OcppErrorCode.InternalError, "Internal error");
        }
        catch (OcppCallException ex)
        {
            return OcppFrameSerializer.Error(call.MessageId, ex.Code, version, ex.Description, ex.Details);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Handler failed for {Action} from {ChargePointId}", call.Action, Info.OcppId);
            return Error(call.MessageId, OcppErrorCode.InternalError, "Internal error");
        }
    }

    CallErrorFrame Error(string messageId, OcppErrorCode code, string description, string? path = null) =>
        OcppFrameSerializer.Error(messageId, code, Info.Version, description,
            path is null ? null : new JObject { ["path"] = path });
}
