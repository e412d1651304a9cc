using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Cms.Loop.Bench;

/// <summary>One SetChargingProfile as the simulated charger saw it: arrival (Stopwatch ticks) and what it carried.</summary>
public readonly record struct ProfileSeen(long ArrivedTicks, DateTimeOffset ValidFrom, long? TransactionId, double FirstLimit);

/// <summary>
/// A minimal OCPP 1.6-J charger over ClientWebSocket: one receive loop that answers server CALLs at once
/// (SetChargingProfile → Accepted, stamping the arrival first) and completes pending CALLRESULTs by message id.
/// </summary>
public sealed class SimCharger : IAsyncDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    private readonly ClientWebSocket _ws = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly List<ProfileSeen> _profiles = [];
    private readonly Lock _profilesLock = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _receiveLoop = Task.CompletedTask;
    private long _nextId;

    public SimCharger(string ocppId) => OcppId = ocppId;

    public string OcppId { get; }
    public long? TransactionId { get; set; }
    public long ProfilesReceived;
    public int OtherCallsReceived;

    /// <summary>Stopwatch ticks of the newest SetChargingProfile arrival (0 when none).</summary>
    public long LastArrivalTicks;

    public async Task ConnectAsync(Uri baseWs, CancellationToken cancel)
    {
        _ws.Options.AddSubProtocol("ocpp1.6");
        _ws.Options.KeepAliveInterval = TimeSpan.Zero;
        await _ws.ConnectAsync(new Uri(baseWs, "ocpp/" + OcppId), cancel);
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    public ProfileSeen[] ProfilesSince(long ticks)
    {
        lock (_profilesLock) return _profiles.Where(p => p.ArrivedTicks >= ticks).ToArray();
    }

    public void ClearProfiles()
    {
        lock (_profilesLock) _profiles.Clear();
    }

    /// <summary>Sends a CALL and awaits its CALLRESULT payload. <paramref name="beforeSend"/> runs just before the frame leaves.</summary>
    public async Task<JsonElement> CallAsync(string action, string payloadJson, Action? beforeSend = null)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        var tcs = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = tcs;
        var frame = $"[2,\"{id}\",\"{action}\",{payloadJson}]";
        try
        {
            await SendAsync(frame, beforeSend);
            return await tcs.Task.WaitAsync(CallTimeout, _stop.Token);
        }
        finally { _pending.TryRemove(id, out _); }
    }

    public Task<JsonElement> BootAsync() =>
        CallAsync("BootNotification", "{\"chargePointVendor\":\"Bench\",\"chargePointModel\":\"Sim\"}");

    public async Task<long> StartTransactionAsync(Action? beforeSend = null)
    {
        var result = await CallAsync("StartTransaction",
            $"{{\"connectorId\":1,\"idTag\":\"BENCH\",\"meterStart\":0,\"timestamp\":\"{Now()}\"}}", beforeSend);
        var tx = result.GetProperty("transactionId").GetInt64();
        TransactionId = tx;
        return tx;
    }

    public async Task StopTransactionAsync()
    {
        if (TransactionId is not { } tx) return;
        await CallAsync("StopTransaction", $"{{\"transactionId\":{tx},\"meterStop\":1000,\"timestamp\":\"{Now()}\"}}");
        TransactionId = null;
    }

    public Task MeterValuesAsync(long tx) =>
        CallAsync("MeterValues", $"{{\"connectorId\":1,\"transactionId\":{tx},\"meterValue\":[{{\"timestamp\":\"{Now()}\"," +
            "\"sampledValue\":[{\"value\":\"7000\",\"measurand\":\"Power.Active.Import\",\"unit\":\"W\"}]}]}");

    private static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private async Task SendAsync(string frame, Action? beforeSend = null)
    {
        var bytes = Encoding.UTF8.GetBytes(frame);
        await _sendLock.WaitAsync(_stop.Token);
        try
        {
            beforeSend?.Invoke();
            await _ws.SendAsync(bytes, WebSocketMessageType.Text, true, _stop.Token);
        }
        finally { _sendLock.Release(); }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (!_stop.IsCancellationRequested && _ws.State == WebSocketState.Open)
            {
                int count = 0;
                ValueWebSocketReceiveResult r;
                do
                {
                    if (count == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                    r = await _ws.ReceiveAsync(buffer.AsMemory(count), _stop.Token);
                    count += r.Count;
                } while (!r.EndOfMessage);
                var arrived = Stopwatch.GetTimestamp();
                if (r.MessageType == WebSocketMessageType.Close) break;
                await HandleAsync(buffer.AsMemory(0, count), arrived);
            }
        }
        catch (OperationCanceledException) { /* closing */ }
        catch (WebSocketException) { /* server went away */ }
        foreach (var p in _pending.Values) p.TrySetException(new IOException($"{OcppId}: connection closed"));
    }

    private async Task HandleAsync(ReadOnlyMemory<byte> message, long arrived)
    {
        using var doc = JsonDocument.Parse(message);
        var frame = doc.RootElement;
        var type = frame[0].GetInt32();
        var id = frame[1].GetString()!;
        switch (type)
        {
            case 2:
                var action = frame[2].GetString();
                if (action == "SetChargingProfile")
                {
                    var profile = frame[3].GetProperty("csChargingProfiles");
                    var validFrom = DateTimeOffset.Parse(profile.GetProperty("validFrom").GetString()!, CultureInfo.InvariantCulture,
                        DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
                    long? tx = profile.TryGetProperty("transactionId", out var t) ? t.GetInt64() : null;
                    var periods = profile.GetProperty("chargingSchedule").GetProperty("chargingSchedulePeriod");
                    var first = periods.GetArrayLength() > 0 ? periods[0].GetProperty("limit").GetDouble() : double.NaN;
                    lock (_profilesLock) _profiles.Add(new ProfileSeen(arrived, validFrom, tx, first));
                    Interlocked.Increment(ref ProfilesReceived);
                    Volatile.Write(ref LastArrivalTicks, arrived);
                    await SendAsync($"[3,\"{id}\",{{\"status\":\"Accepted\"}}]");
                }
                else
                {
                    Interlocked.Increment(ref OtherCallsReceived);
                    await SendAsync($"[4,\"{id}\",\"NotImplemented\",\"bench charger\",{{}}]");
                }
                break;
            case 3:
                if (_pending.TryGetValue(id, out var tcs)) tcs.TrySetResult(frame[2].Clone());
                break;
            case 4:
                if (_pending.TryGetValue(id, out var failed))
                    failed.TrySetException(new InvalidOperationException($"{OcppId}: CALLERROR {frame[2].GetString()} {frame[3].GetString()}"));
                break;
        }
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
        await _stop.CancelAsync();
        try { await _receiveLoop.WaitAsync(TimeSpan.FromSeconds(2)); }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException) { /* abandoned */ }
        _ws.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }
}
