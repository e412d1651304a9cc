using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Cms.Report.Bench;

/// <summary>A minimal OCPP 1.6-J charger: sends CALLs and awaits their results, answers the server's calls with Accepted.</summary>
public sealed class BenchCharger(string ocppId) : IAsyncDisposable
{
    private readonly ClientWebSocket _ws = new();
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private Task _receive = Task.CompletedTask;
    private long _next;

    public long TransactionId { get; set; }

    public static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public async Task ConnectAsync(Uri wsBase)
    {
        _ws.Options.AddSubProtocol("ocpp1.6");
        await _ws.ConnectAsync(new Uri(wsBase, "ocpp/" + ocppId), CancellationToken.None);
        _receive = Task.Run(ReceiveAsync);
    }

    public async Task<JsonElement> CallAsync(string action, string payload)
    {
        var id = Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
        var done = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = done;
        await SendAsync($"[2,\"{id}\",\"{action}\",{payload}]");
        return await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// Every charger sends MeterValues every 200 ms until <paramref name="phase"/> ends; returns the round trips in ms. The power
    /// stays at 7 kW (a car charging steadily), so the load is the write path, not a replan per message.
    /// </summary>
    public static async Task<List<double>> LoadAsync(IReadOnlyList<BenchCharger> chargers, Func<Task> phase)
    {
        var samples = new ConcurrentBag<double>();
        using var stop = new CancellationTokenSource();
        var loops = chargers.Select((c, i) => Task.Run(async () =>
        {
            var energy = 0;
            await Task.Delay(i * 200 / chargers.Count);
            while (!stop.IsCancellationRequested)
            {
                energy += 100;
                var started = Stopwatch.GetTimestamp();
                await c.CallAsync("MeterValues", $"{{\"connectorId\":1,\"transactionId\":{c.TransactionId},\"meterValue\":[{{\"timestamp\":\"{Now()}\",\"sampledValue\":[" +
                    $"{{\"value\":\"{energy}\",\"measurand\":\"Energy.Active.Import.Register\",\"unit\":\"Wh\"}},{{\"value\":\"7000\",\"measurand\":\"Power.Active.Import\",\"unit\":\"W\"}}]}}]}}");
                samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                try { await Task.Delay(200, stop.Token); } catch (OperationCanceledException) { }
            }
        })).ToList();
        await phase();
        stop.Cancel();
        await Task.WhenAll(loops);
        return [.. samples];
    }

    private async Task SendAsync(string frame)
    {
        await _send.WaitAsync();
        try { await _ws.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, CancellationToken.None); }
        finally { _send.Release(); }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        while (_ws.State == WebSocketState.Open)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            try
            {
                do
                {
                    result = await _ws.ReceiveAsync(buffer, CancellationToken.None);
                    message.Write(buffer, 0, result.Count);
                } while (!result.EndOfMessage);
            }
            catch (WebSocketException) { return; }
            if (result.MessageType == WebSocketMessageType.Close) return;
            using var doc = JsonDocument.Parse(message.ToArray());
            var frame = doc.RootElement;
            var id = frame[1].GetString()!;
            if (frame[0].GetInt32() == 2) await SendAsync($"[3,\"{id}\",{{\"status\":\"Accepted\"}}]");
            else if (_pending.TryRemove(id, out var done)) done.TrySetResult(frame[0].GetInt32() == 3 ? frame[2].Clone() : default);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { await _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None); } catch (WebSocketException) { }
        await _receive.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        _ws.Dispose();
    }
}
