using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Cms.Ocpp.Framing;
using Cms.Ocpp.Schemas;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cms.Ocpp.Connection;

/// <summary>
/// One connected charger. <see cref="RunAsync"/> owns the socket's receive side until it closes;
/// incoming CALLs and outgoing CALLs each run on their own worker so a handler may await
/// <see cref="CallAsync"/> on the same charger without deadlocking the receive loop.
/// This file: lifetime, receive loop, sending. See .Incoming.cs and .Outgoing.cs.
/// </summary>
public sealed partial class OcppConnection
{
    readonly WebSocket _socket;
    readonly IOcppCallHandler _handler;
    readonly SchemaValidator _schemas;
    readonly OcppConnectionOptions _options;
    readonly IOcppFrameLog? _frameLog;
    readonly TimeProvider _time;
    readonly ILogger _logger;
    readonly SemaphoreSlim _sendLock = new(1, 1);
    readonly CancellationTokenSource _lifetime = new();
    readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    const int ReceiveChunkBytes = 8192;

    public OcppConnection(
        WebSocket socket,
        OcppConnectionInfo info,
        IOcppCallHandler handler,
        SchemaValidator schemas,
        OcppConnectionOptions? options = null,
        IOcppFrameLog? frameLog = null,
        TimeProvider? time = null,
        ILogger? logger = null)
    {
        _socket = socket;
        Info = info;
        _handler = handler;
        _schemas = schemas;
        _options = options ?? new OcppConnectionOptions();
        _frameLog = frameLog;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    public OcppConnectionInfo Info { get; }

    /// <summary>Set before <see cref="RunAsync"/> when the charger is proxied: it sees every parsed frame first (see <see cref="IOcppRelay"/>).</summary>
    public IOcppRelay? Relay { get; set; }

    /// <summary>Completes when the connection has ended and every pending call has been failed.</summary>
    public Task Completion => _completion.Task;

    public WebSocketCloseStatus? CloseStatus { get; private set; }
    public string? CloseReason { get; private set; }

    /// <summary>Runs the connection until the socket closes, fails, or the token is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // The caller's token cancels the connection's own: one registration per connection instead of a linked source.
        using var stop = cancellationToken.UnsafeRegister(static lifetime => ((CancellationTokenSource)lifetime!).Cancel(), _lifetime);
        var ct = _lifetime.Token;
        var incoming = Task.Run(() => ProcessIncomingAsync(ct), CancellationToken.None);
        var outgoing = Task.Run(() => ProcessOutgoingAsync(ct), CancellationToken.None);
        try
        {
            await ReceiveLoopAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (WebSocketException ex)
        {
            // Peer vanished, keep-alive timeout aborted the socket, or a protocol violation.
            CloseReason ??= ex.Message;
            _logger.LogInformation("OCPP connection {ChargePointId} lost: {Reason}", Info.OcppId, ex.Message);
        }
        catch (Exception ex)
        {
            // The top of a connection: whatever broke it, end this charger cleanly, not the server.
            CloseReason ??= ex.Message;
            _logger.LogWarning(ex, "OCPP connection {ChargePointId} failed", Info.OcppId);
        }
        finally
        {
            _incomingCalls.Writer.TryComplete();
            _outgoingCalls.Writer.TryComplete();
            _lifetime.Cancel();
            await Task.WhenAll(incoming, outgoing).ContinueWith(_ => { }, TaskScheduler.Default);
            FailAllPendingCalls();
            _completion.TrySetResult();
        }
    }

    /// <summary>Starts the close handshake and waits for the connection to end; aborts after CloseTimeout.</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        using var timeout = new CancellationTokenSource(_options.CloseTimeout, _time);
        try
        {
            await SendCloseAsync(status, reason, timeout.Token);
            await Completion.WaitAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            _socket.Abort();
            _lifetime.Cancel();
        }
    }

    /// <summary>Messages in a row, each within <see cref="OcppConnectionOptions.BackToBackGap"/> of the one before, after
    /// which the next is read straight into a buffer.</summary>
    internal const int BackToBackMessages = 8;
    int _backToBack;
    long _lastMessageTicks;

    /// <summary>Messages read straight into a buffer (for tests: the back-to-back path was taken).</summary>
    internal int DirectReads;

    async Task ReceiveLoopAsync(CancellationToken ct)
    {
        while (true)
        {
            // An idle charger holds no buffer: a zero-byte read waits for the next frame's header, and only then is a
            // buffer rented for its payload (thousands of idle connections would otherwise pin 8 KiB each). A charger
            // sending back to back (a backlog replayed after an outage, a load test) is read straight into the buffer:
            // one read per message instead of two (8 % of the host's CPU per message at 100 chargers flat out). It holds
            // the buffer while it waits, until a message after a pause puts it back on zero-byte reads.
            var direct = _backToBack >= BackToBackMessages;
            var buffer = direct ? ArrayPool<byte>.Shared.Rent(ReceiveChunkBytes) : null;
            ValueWebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(direct ? buffer.AsMemory() : Memory<byte>.Empty, ct);
            }
            catch
            {
                if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
                await OnCloseReceivedAsync(ct);
                return;
            }
            if (direct) DirectReads++;
            buffer ??= ArrayPool<byte>.Shared.Rent(ReceiveChunkBytes);
            MemoryStream? message = null; // only for a message bigger than one chunk
            CallFrame? answerHere = null;
            try
            {
                var length = result.Count;
                while (true)
                {
                    if ((message?.Length ?? 0) + length > _options.MaxMessageBytes)
                    {
                        _logger.LogWarning("OCPP message from {ChargePointId} exceeds {Max} bytes; closing", Info.OcppId, _options.MaxMessageBytes);
                        // Not CloseAsync: it waits for this loop to end.
                        CloseStatus = WebSocketCloseStatus.MessageTooBig;
                        CloseReason = "Message too big";
                        await SendCloseAsync(WebSocketCloseStatus.MessageTooBig, CloseReason, ct);
                        return;
                    }
                    if (result.EndOfMessage) break;
                    if (length == buffer.Length)
                    {
                        message ??= new MemoryStream();
                        message.Write(buffer, 0, length);
                        length = 0;
                    }
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await OnCloseReceivedAsync(ct);
                        return;
                    }
                    length += result.Count;
                }
                if (result.MessageType != WebSocketMessageType.Text)
                {
                    // OCPP-J is text only; a binary frame carries nothing we can answer to.
                    _logger.LogWarning("Ignoring binary WebSocket message from {ChargePointId}", Info.OcppId);
                    continue;
                }
                NoteArrival();
                if (message is null)
                {
                    answerHere = OnText(Encoding.UTF8.GetString(buffer, 0, length));
                }
                else
                {
                    message.Write(buffer, 0, length);
                    answerHere = OnText(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
                message?.Dispose();
            }
            if (answerHere is not null)
                await AnswerHereAsync(answerHere, ct);
        }
    }

    /// <summary>Counts the messages that came back to back (see <see cref="OcppConnectionOptions.BackToBackGap"/>).</summary>
    void NoteArrival()
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        _backToBack = System.Diagnostics.Stopwatch.GetElapsedTime(_lastMessageTicks, now) < _options.BackToBackGap ? _backToBack + 1 : 0;
        _lastMessageTicks = now;
    }

    async Task OnCloseReceivedAsync(CancellationToken ct)
    {
        CloseStatus = _socket.CloseStatus;
        CloseReason = _socket.CloseStatusDescription;
        // If we started the close this was the peer's acknowledgement and nothing is left to send.
        await SendCloseAsync(WebSocketCloseStatus.NormalClosure, "", ct);
    }

    async Task SendCloseAsync(WebSocketCloseStatus status, string reason, CancellationToken ct)
    {
        await _sendLock.WaitAsync(ct);
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await _socket.CloseOutputAsync(status, reason, ct);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Handles one received text; returns the CALL the receive loop should answer itself (see <see cref="AnswersInline"/>), if any.</summary>
    CallFrame? OnText(string text)
    {
        Volatile.Write(ref _lastFrameTicks, System.Diagnostics.Stopwatch.GetTimestamp());
        // Not in proxy mode: the relay forwards the frame as parsed.
        var parsed = Relay is null && _handler.TryReadCall(Info, text) is { } read ? FrameParseResult.Ok(read) : OcppFrameParser.Parse(text);
        if (parsed.Frame is null)
        {
            var type = parsed.RawMessageType is >= 2 and <= 4 ? (OcppMessageType?)parsed.RawMessageType : null;
            var id = parsed.ErrorMessageId == FrameParseResult.UnknownMessageId ? null : parsed.ErrorMessageId;
            LogFrame(OcppFrameDirection.Incoming, text, null, type, id);
            _logger.LogWarning("Invalid OCPP frame from {ChargePointId}: {Reason}", Info.OcppId, parsed.ErrorDescription);
            if (parsed.ShouldAnswer)
                QueueIncoming(new IncomingWork(null, parsed));
            return null;
        }

        if (Relay?.OnChargerFrame(parsed.Frame, text) == true)
            return null;

        switch (parsed.Frame)
        {
            case CallFrame call:
                LogFrame(OcppFrameDirection.Incoming, text, call.Action, call.Type, call.MessageId);
                if (AnswersInline(call))
                    return call;
                QueueIncoming(new IncomingWork(call, null));
                break;
            default:
                OnResponse(parsed.Frame, text);
                break;
        }
        return null;
    }

    Task SendFrameAsync(OcppFrame frame, string? action, CancellationToken ct) =>
        SendTextFrameAsync(OcppFrameSerializer.Serialize(frame), action, frame.Type, frame.MessageId, ct);

    async Task SendTextFrameAsync(string text, string? action, OcppMessageType type, string messageId, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        // Logged before it is handed to the socket: the charger's answer may be read (and logged) before this send
        // returns, and the log must list the CALL first (and hold it by the time its caller has the answer). A send that
        // then fails leaves it logged: the connection is gone by then, and the log shows what we tried to send.
        LogFrame(OcppFrameDirection.Outgoing, text, action, type, messageId);
        // Almost every send finds the lock free and completes at once (Kestrel copies the frame into its output pipe):
        // then no timeout is needed, and none is armed (two token sources and a timer per message otherwise). Nor is the
        // token passed on: the WebSocket takes a slower path for a cancellable send (an async method and a registration
        // per frame); a send that does not complete at once is bounded by SendBoundedAsync, cancellation included.
        if (!_sendLock.Wait(0))
            await SendBoundedAsync(bytes, ct, lockHeld: false);
        else
        {
            ValueTask send;
            try { send = _socket.SendAsync(bytes.AsMemory(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None); }
            catch { _sendLock.Release(); throw; }
            if (send.IsCompletedSuccessfully)
            {
                send.GetAwaiter().GetResult(); // a ValueTask is observed once, even when it is done
                _sendLock.Release();
            }
            else
                await SendBoundedAsync(bytes, ct, lockHeld: true, send);
        }
    }

    /// <summary>The slow path of a send: waiting for the lock or for a full socket. A charger that stops reading fills its
    /// socket and a send never completes: past SendTimeout the connection is aborted, so its queued and pending calls fail
    /// at once instead of holding up whoever awaits them.</summary>
    async Task SendBoundedAsync(byte[] bytes, CancellationToken ct, bool lockHeld, ValueTask started = default)
    {
        using var timeout = new CancellationTokenSource(_options.SendTimeout, _time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            if (!lockHeld)
                await _sendLock.WaitAsync(bounded.Token);
            try
            {
                if (lockHeld)
                    await started.AsTask().WaitAsync(bounded.Token);
                else
                    await _socket.SendAsync(bytes.AsMemory(), WebSocketMessageType.Text, endOfMessage: true, bounded.Token);
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            _logger.LogWarning("OCPP connection {ChargePointId} does not read: a send waited {Timeout}; closing it", Info.OcppId, _options.SendTimeout);
            CloseReason ??= "Not reading";
            _socket.Abort();
            _lifetime.Cancel();
            throw;
        }
    }

    /// <summary>Sends a frame exactly as given (a relayed one); the caller logs it.</summary>
    public async Task SendTextAsync(string text, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await _sendLock.WaitAsync(ct);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, ct);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    void LogFrame(OcppFrameDirection direction, string raw, string? action, OcppMessageType? type, string? messageId)
    {
        if (_frameLog is null)
            return;
        try
        {
            _frameLog.Record(new OcppFrameLogEntry(Info, direction, raw, action, type, messageId, _time.GetUtcNow()));
        }
        catch (Exception ex)
        {
            // A broken log must not take the charger down.
            _logger.LogError(ex, "OCPP frame log failed for {ChargePointId}", Info.OcppId);
        }
    }
}
