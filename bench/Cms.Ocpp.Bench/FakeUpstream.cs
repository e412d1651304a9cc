using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace Cms.Ocpp.Bench;

/// <summary>
/// A minimal third-party CMS for the proxy bench (OCPP 1.6-J on HttpListener, any path): answers every CALL at once
/// (BootNotification Accepted, StartTransaction with its own ids, Heartbeat with the time, anything else {}).
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    readonly HttpListener _listener = new();
    readonly CancellationTokenSource _stop = new();
    readonly Task _accept;
    long _nextTransaction = 900_000;

    public FakeUpstream()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _accept = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }
    public Uri WebSocketBase => new($"ws://127.0.0.1:{Port}/");

    async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            _ = Task.Run(() => ServeAsync(context));
        }
    }

    async Task ServeAsync(HttpListenerContext context)
    {
        if (!context.Request.IsWebSocketRequest) { context.Response.StatusCode = 400; context.Response.Close(); return; }
        using var ws = (await context.AcceptWebSocketAsync("ocpp1.6")).WebSocket;
        var buffer = new byte[64 * 1024];
        try
        {
            while (ws.State == WebSocketState.Open && !_stop.IsCancellationRequested)
            {
                var count = 0;
                ValueWebSocketReceiveResult r;
                do
                {
                    r = await ws.ReceiveAsync(buffer.AsMemory(count), _stop.Token);
                    if (r.MessageType == WebSocketMessageType.Close) return;
                    count += r.Count;
                }
                while (!r.EndOfMessage);
                var text = Encoding.UTF8.GetString(buffer, 0, count);
                if (!text.StartsWith("[2,", StringComparison.Ordinal)) continue; // answers to our (no) calls
                var idStart = text.IndexOf('"') + 1;
                var id = text[idStart..text.IndexOf('"', idStart)];
                var actionStart = text.IndexOf('"', text.IndexOf('"', idStart) + 1) + 1;
                var action = text[actionStart..text.IndexOf('"', actionStart)];
                var now = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
                var payload = action switch
                {
                    "BootNotification" => $"{{\"status\":\"Accepted\",\"currentTime\":\"{now}\",\"interval\":300}}",
                    "Heartbeat" => $"{{\"currentTime\":\"{now}\"}}",
                    "StartTransaction" => $"{{\"transactionId\":{Interlocked.Increment(ref _nextTransaction)},\"idTagInfo\":{{\"status\":\"Accepted\"}}}}",
                    "Authorize" or "StopTransaction" => "{\"idTagInfo\":{\"status\":\"Accepted\"}}",
                    _ => "{}",
                };
                await ws.SendAsync(Encoding.UTF8.GetBytes($"[3,\"{id}\",{payload}]"), WebSocketMessageType.Text, true, _stop.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or HttpListenerException) { }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Close();
        await _accept.ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
