using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Cms.Core.Domain.Ocpp;
using Cms.Ocpp.Connection;
using Cms.Ocpp.Framing;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Proxy;

/// <summary>The upstream side: connect with the charger's subprotocol and credentials, reconnect with backoff, receive.</summary>
public sealed partial class ProxyRelay
{
    const int MaxUpstreamMessageBytes = 1024 * 1024;

    readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly SemaphoreSlim _upstreamSend = new(1, 1);
    /// <summary>Charger (and replayed) calls sent upstream, by message id, waiting for the upstream's answer; null = the upstream dropped.</summary>
    readonly ConcurrentDictionary<string, TaskCompletionSource<(OcppFrame Frame, string Raw)?>> _awaitingUpstream = new();
    Task _upstreamLoop = Task.CompletedTask;
    volatile ClientWebSocket? _upstream;

    bool UpstreamConnected => _upstream is { State: WebSocketState.Open };

    /// <summary>Sends a call upstream and waits for its answer; null when the upstream dropped or did not answer in time.</summary>
    async Task<(OcppFrame Frame, string Raw)?> CallUpstreamAsync(CallFrame call, CancellationToken ct, string? logSource = null)
    {
        var waiter = new TaskCompletionSource<(OcppFrame Frame, string Raw)?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _awaitingUpstream[call.MessageId] = waiter;
        try
        {
            var raw = OcppFrameSerializer.Serialize(call);
            if (!await SendUpstreamAsync(raw)) return null;
            if (logSource is not null) Log(OcppFrameDirection.Outgoing, raw, call, call.Action, logSource);
            var answer = await waiter.Task.WaitAsync(_options.AnswerTimeout, _time, ct);
            if (answer is { } a && logSource is not null) Log(OcppFrameDirection.Incoming, a.Raw, a.Frame, call.Action, "External");
            return answer;
        }
        catch (TimeoutException)
        {
            // An upstream that does not answer is treated as gone: reconnecting replays what it missed.
            _logger.LogWarning("Upstream of {OcppId} did not answer {Action}; reconnecting", _admitted.OcppId, call.Action);
            _upstream?.Abort();
            return null;
        }
        finally
        {
            _awaitingUpstream.TryRemove(call.MessageId, out _);
        }
    }

    async Task<bool> SendUpstreamAsync(string raw)
    {
        var socket = _upstream;
        if (socket is not { State: WebSocketState.Open }) return false;
        await _upstreamSend.WaitAsync();
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(raw), WebSocketMessageType.Text, endOfMessage: true, _lifetime.Token);
            return true;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            _upstreamSend.Release();
        }
    }

    async Task UpstreamLoopAsync(CancellationToken ct)
    {
        var delay = _options.ReconnectMin;
        var refusedBefore = false;
        while (!ct.IsCancellationRequested)
        {
            var socket = NewUpstreamSocket();
            try
            {
                using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                connectTimeout.CancelAfter(_options.ConnectTimeout);
                await socket.ConnectAsync(_target.Url, connectTimeout.Token);
                if (socket.SubProtocol != Version.ToSubprotocol())
                    throw new WebSocketException($"upstream did not accept {Version.ToSubprotocol()}");
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                socket.Dispose();
                if (!refusedBefore) await EventAsync(OcppEventLog.Connection, "Warning", $"upstream CMS {_target.Url} refused or unreachable: {e.Message}; AmpCMS answers the charger until it is back");
                refusedBefore = true;
                _firstAttempt.TrySetResult();
                await DelayAsync(delay, ct);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.ReconnectMax.Ticks));
                continue;
            }
            catch (OperationCanceledException)
            {
                socket.Dispose();
                return;
            }

            _upstream = socket;
            refusedBefore = false;
            delay = _options.ReconnectMin;
            await EventAsync(OcppEventLog.Connection, "Info", $"upstream CMS {_target.Url} connected ({Version.ToSubprotocol()})");
            _chargerCalls.Writer.TryWrite(null); // replay what the upstream missed, before the next charger call
            _firstAttempt.TrySetResult();
            var reason = await ReceiveUpstreamAsync(socket, ct);
            _upstream = null;
            foreach (var waiter in _awaitingUpstream.Values) waiter.TrySetResult(null);
            socket.Dispose();
            if (ct.IsCancellationRequested) return;
            await EventAsync(OcppEventLog.Disconnection, "Warning", $"upstream CMS disconnected: {reason}; AmpCMS answers the charger and queues for the upstream");
            await DelayAsync(delay, ct);
        }
    }

    ClientWebSocket NewUpstreamSocket()
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(Version.ToSubprotocol());
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
        if (_target.Username is not null)
            socket.Options.SetRequestHeader("Authorization",
                "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_target.Username}:{_target.Password}")));
        return socket;
    }

    async Task DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try { await Task.Delay(delay, _time, ct); }
        catch (OperationCanceledException) { }
    }

    /// <summary>Receives until the upstream closes or fails; returns why.</summary>
    async Task<string> ReceiveUpstreamAsync(ClientWebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                message.SetLength(0);
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        if (socket.State == WebSocketState.CloseReceived)
                            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", ct);
                        return $"closed ({socket.CloseStatus}) {socket.CloseStatusDescription}".Trim();
                    }
                    if (message.Length + result.Count > MaxUpstreamMessageBytes)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "Message too big", ct);
                        return "message too big";
                    }
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Text)
                    await OnUpstreamTextAsync(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length), ct);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            return e.Message;
        }
    }

    async Task OnUpstreamTextAsync(string raw, CancellationToken ct)
    {
        var parsed = OcppFrameParser.Parse(raw);
        switch (parsed.Frame)
        {
            case null:
                _logger.LogWarning("Invalid frame from the upstream of {OcppId}: {Reason}", _admitted.OcppId, parsed.ErrorDescription);
                return;
            case CallFrame call:
                await RelayUpstreamCallAsync(call, raw, ct);
                return;
            default:
                if (_awaitingUpstream.TryGetValue(parsed.Frame.MessageId, out var waiter))
                    waiter.TrySetResult((parsed.Frame, raw));
                else
                    _logger.LogInformation("Uncorrelated answer {MessageId} from the upstream of {OcppId}", parsed.Frame.MessageId, _admitted.OcppId);
                return;
        }
    }

    async Task CloseUpstreamAsync(string reason)
    {
        var socket = _upstream;
        if (socket is not { State: WebSocketState.Open }) return;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            socket.Abort();
        }
        await EventAsync(OcppEventLog.Disconnection, "Info", $"upstream CMS connection closed: {reason}");
    }

    async Task EventAsync(string type, string urgency, string description)
    {
        try { await _context.Events.RecordAsync(_admitted.CustomerId, type, urgency, _admitted.ChargePointId, _admitted.OcppId, _admitted.NetworkId, description); }
        catch (Exception e) { _logger.LogWarning(e, "Could not record a proxy event for {OcppId}", _admitted.OcppId); }
    }
}
