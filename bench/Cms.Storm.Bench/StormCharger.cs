using System.Net.WebSockets;
using System.Text;

namespace Cms.Storm.Bench;

/// <summary>A charger that connects with the customer secret, boots, and then idles (never reads again).</summary>
public sealed class StormCharger(string ocppId)
{
    private ClientWebSocket? _ws;

    public string OcppId { get; } = ocppId;

    /// <summary>The close code the host sent, once it closed this charger.</summary>
    public WebSocketCloseStatus? CloseStatus { get; private set; }

    /// <summary>Connects and boots; true when BootNotification was answered Accepted.</summary>
    public async Task<bool> ConnectAndBootAsync(Uri baseWs, string secret, CancellationToken cancel)
    {
        var ws = new ClientWebSocket();
        ws.Options.AddSubProtocol("ocpp1.6");
        ws.Options.KeepAliveInterval = TimeSpan.Zero;
        ws.Options.SetRequestHeader("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{OcppId}:{secret}")));
        try
        {
            await ws.ConnectAsync(new Uri(baseWs, "ocpp/" + OcppId), cancel);
            await ws.SendAsync(Encoding.UTF8.GetBytes("""[2,"boot","BootNotification",{"chargePointVendor":"Storm","chargePointModel":"bench"}]"""),
                WebSocketMessageType.Text, true, cancel);
            var buffer = new byte[1024];
            var received = await ws.ReceiveAsync(buffer, cancel);
            _ws = ws;
            _ = AnswerCloseAsync(ws);
            return Encoding.UTF8.GetString(buffer, 0, received.Count).Contains("Accepted", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            ws.Dispose();
            return false;
        }
    }

    /// <summary>Idle, but a charger's WebSocket stack still answers a close (host shutdown) as any would.</summary>
    private async Task AnswerCloseAsync(ClientWebSocket ws)
    {
        try
        {
            var buffer = new byte[256];
            while ((await ws.ReceiveAsync(buffer, CancellationToken.None)).MessageType != WebSocketMessageType.Close) { }
            CloseStatus = ws.CloseStatus;
            await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // dropped on purpose
        }
    }

    /// <summary>The site loses power: the TCP connection vanishes without a close handshake.</summary>
    public void Drop()
    {
        _ws?.Abort();
        _ws?.Dispose();
        _ws = null;
    }
}
