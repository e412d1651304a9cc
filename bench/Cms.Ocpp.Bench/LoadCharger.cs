using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;

namespace Cms.Ocpp.Bench;

/// <summary>
/// A lean OCPP 1.6-J charger for load: one CALL outstanding at a time (as OCPP-J requires), frames built as strings,
/// answers matched by scanning the message id, server CALLs (SetChargingProfile) answered Accepted at once.
/// </summary>
public sealed class LoadCharger(string ocppId) : IAsyncDisposable
{
    private readonly ClientWebSocket _ws = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly byte[] _buffer = new byte[64 * 1024];
    private TaskCompletionSource<string>? _pending;
    private string _pendingId = "";
    private long _nextId;
    private Task _receive = Task.CompletedTask;

    public string OcppId { get; } = ocppId;

    /// <summary>Before connecting: headers (Basic auth) for a host that asks for them.</summary>
    public ClientWebSocketOptions Options => _ws.Options;
    public long? TransactionId { get; private set; }
    public double MeterWh;

    public async Task ConnectAsync(Uri wsBase, CancellationToken cancel)
    {
        _ws.Options.AddSubProtocol("ocpp1.6");
        _ws.Options.KeepAliveInterval = TimeSpan.Zero;
        await _ws.ConnectAsync(new Uri(wsBase, "ocpp/" + OcppId), cancel);
        _receive = Task.Run(ReceiveLoopAsync, CancellationToken.None);
    }

    /// <summary>Sends one CALL and returns the answer frame's text. A CALLERROR throws.</summary>
    public async Task<string> CallAsync(string action, string payload)
    {
        var id = (++_nextId).ToString(CultureInfo.InvariantCulture);
        var tcs = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingId = id;
        Volatile.Write(ref _pending, tcs);
        await SendAsync($"[2,\"{id}\",\"{action}\",{payload}]");
        var answer = await tcs.Task.WaitAsync(TimeSpan.FromSeconds(60));
        if (answer.StartsWith("[4", StringComparison.Ordinal)) throw new InvalidOperationException($"{OcppId} {action}: {answer}");
        return answer;
    }

    public Task<string> BootAsync() => CallAsync("BootNotification", "{\"chargePointVendor\":\"Bench\",\"chargePointModel\":\"Load\"}");

    public Task<string> StatusAsync(string status) =>
        CallAsync("StatusNotification", $"{{\"connectorId\":1,\"errorCode\":\"NoError\",\"status\":\"{status}\",\"timestamp\":\"{Now()}\"}}");

    public Task<string> HeartbeatAsync() => CallAsync("Heartbeat", "{}");

    public async Task StartTransactionAsync()
    {
        var answer = await CallAsync("StartTransaction", $"{{\"connectorId\":1,\"idTag\":\"BENCH\",\"meterStart\":0,\"timestamp\":\"{Now()}\"}}");
        var at = answer.IndexOf("\"transactionId\":", StringComparison.Ordinal) + "\"transactionId\":".Length;
        var end = at;
        while (end < answer.Length && char.IsAsciiDigit(answer[end])) end++;
        TransactionId = long.Parse(answer.AsSpan(at, end - at), CultureInfo.InvariantCulture);
    }

    /// <summary>Samples per meter value (`--samples`, default 2): power and the energy register, then per-phase voltage
    /// and current as a real charger adds them (no more power: the session's measured power stays as with 2).</summary>
    public static int Samples
    {
        get => _samples;
        set
        {
            _samples = value;
            _extraSamples = string.Concat(Enumerable.Range(0, Math.Max(0, value - 2)).Select(k =>
                $",{{\"value\":\"{230 + k}\",\"measurand\":\"{(k % 2 == 0 ? "Voltage" : "Current.Import")}\",\"phase\":\"L{k / 2 % 3 + 1}\"}}"));
        }
    }

    private static int _samples = 2;
    private static string _extraSamples = "";

    /// <summary>One meter value with <see cref="Samples"/> samples (power and energy register first): the common periodic reading.</summary>
    public Task<string> MeterValuesAsync()
    {
        MeterWh += 2;
        var tx = TransactionId is { } t ? $",\"transactionId\":{t}" : "";
        return CallAsync("MeterValues", $"{{\"connectorId\":1{tx},\"meterValue\":[{{\"timestamp\":\"{Now()}\",\"sampledValue\":[" +
            "{\"value\":\"7000\",\"measurand\":\"Power.Active.Import\",\"unit\":\"W\"}," +
            $"{{\"value\":\"{MeterWh.ToString(CultureInfo.InvariantCulture)}\",\"measurand\":\"Energy.Active.Import.Register\",\"unit\":\"Wh\"}}" +
            _extraSamples + "]}]}");
    }

    private static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private async Task SendAsync(string frame)
    {
        var bytes = Encoding.UTF8.GetBytes(frame);
        await _sendLock.WaitAsync();
        try { await _ws.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None); }
        finally { _sendLock.Release(); }
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (_ws.State == WebSocketState.Open)
            {
                var count = 0;
                ValueWebSocketReceiveResult r;
                do
                {
                    r = await _ws.ReceiveAsync(_buffer.AsMemory(count), CancellationToken.None);
                    count += r.Count;
                } while (!r.EndOfMessage && count < _buffer.Length);
                if (r.MessageType == WebSocketMessageType.Close) break;
                var text = Encoding.UTF8.GetString(_buffer, 0, count);
                if (text.StartsWith("[2,", StringComparison.Ordinal))
                {
                    // A CSMS call (SetChargingProfile after a replan): accept it.
                    var id = text[4..text.IndexOf('"', 4)];
                    await SendAsync($"[3,\"{id}\",{{\"status\":\"Accepted\"}}]");
                    continue;
                }
                var pending = Volatile.Read(ref _pending);
                if (pending is not null && text.AsSpan(4).StartsWith(_pendingId) && text.Length > 4 + _pendingId.Length && text[4 + _pendingId.Length] == '"')
                {
                    Volatile.Write(ref _pending, null);
                    pending.TrySetResult(text);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { /* closed */ }
        Volatile.Read(ref _pending)?.TrySetException(new IOException($"{OcppId}: connection closed"));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_ws.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bench done", timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException) { /* best effort */ }
        try { await _receive.WaitAsync(TimeSpan.FromSeconds(2)); }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException) { _ws.Abort(); }
        _ws.Dispose();
    }
}
