using System.Net.WebSockets;
using System.Text;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Tests.Support;

/// <summary>A raw charger: ClientWebSocket plus helpers that wait with a timeout, never a fixed sleep.</summary>
public sealed class WsClient : IAsyncDisposable
{
    /// <summary>Upper bound for any wait; only reached when a test is failing.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    WsClient(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    public static async Task<WsClient> ConnectAsync(Uri uri, string[] subprotocols, (string User, string Password)? basic = null)
    {
        var socket = new ClientWebSocket();
        foreach (var p in subprotocols)
            socket.Options.AddSubProtocol(p);
        if (basic is { } b)
            socket.Options.SetRequestHeader("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{b.User}:{b.Password}")));
        socket.Options.CollectHttpResponseDetails = true;
        using var cts = new CancellationTokenSource(Wait);
        await socket.ConnectAsync(uri, cts.Token);
        return new WsClient(socket);
    }

    /// <summary>Connects and expects the server to refuse; returns the HTTP status it answered.</summary>
    public static async Task<int> ConnectExpectingRefusalAsync(Uri uri, string[] subprotocols, (string User, string Password)? basic = null)
    {
        using var socket = new ClientWebSocket();
        foreach (var p in subprotocols)
            socket.Options.AddSubProtocol(p);
        if (basic is { } b)
            socket.Options.SetRequestHeader("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{b.User}:{b.Password}")));
        socket.Options.CollectHttpResponseDetails = true;
        using var cts = new CancellationTokenSource(Wait);
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, cts.Token));
        return (int)socket.HttpStatusCode;
    }

    public Task SendAsync(string text) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public async Task SendFragmentedAsync(string text, int pieces)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var size = (bytes.Length + pieces - 1) / pieces;
        for (var offset = 0; offset < bytes.Length; offset += size)
        {
            var count = Math.Min(size, bytes.Length - offset);
            await Socket.SendAsync(bytes.AsMemory(offset, count), WebSocketMessageType.Text, offset + count >= bytes.Length, CancellationToken.None);
        }
    }

    /// <summary>Next text message, or throws after <see cref="Wait"/>. Returns null when the server closed (after acknowledging the close).</summary>
    public async Task<string?> ReceiveAsync()
    {
        using var cts = new CancellationTokenSource(Wait);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        ValueWebSocketReceiveResult r;
        do
        {
            r = await Socket.ReceiveAsync(buffer.AsMemory(), cts.Token);
            if (r.MessageType == WebSocketMessageType.Close)
            {
                // Complete the handshake like a charger's WebSocket stack does.
                await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token);
                return null;
            }
            message.Write(buffer, 0, r.Count);
        }
        while (!r.EndOfMessage);
        return Encoding.UTF8.GetString(message.ToArray());
    }

    public async Task<JArray> ReceiveFrameAsync() =>
        JArray.Parse(await ReceiveAsync() ?? throw new InvalidOperationException("Server closed the connection"));

    /// <summary>
    /// Sends a CALL and returns the answer frame. Calls the server makes meanwhile (e.g. SetChargingProfile after a
    /// StartTransaction) are answered Accepted, as a charger would, and skipped.
    /// </summary>
    public async Task<JArray> CallAsync(string id, string action, string payloadJson)
    {
        await SendAsync($"[2,\"{id}\",\"{action}\",{payloadJson}]");
        while (true)
        {
            var frame = await ReceiveFrameAsync();
            if ((int)frame[0] != 2 || (string?)frame[1] == id) return frame;
            await SendAsync($"[3,\"{(string)frame[1]!}\",{{\"status\":\"Accepted\"}}]");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            using var cts = new CancellationTokenSource(Wait);
            try
            {
                await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }
        Socket.Dispose();
    }
}
