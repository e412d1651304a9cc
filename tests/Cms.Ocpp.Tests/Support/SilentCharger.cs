using System.Net.Sockets;
using System.Text;

namespace Cms.Ocpp.Tests.Support;

/// <summary>
/// Does the WebSocket upgrade by hand over TCP and then never reads or answers a ping: what a
/// charger that lost power behind a NAT looks like to us.
/// </summary>
public sealed class SilentCharger : IDisposable
{
    readonly TcpClient _tcp = new();

    public async Task<string> UpgradeAsync(Uri baseUri, string path)
    {
        await _tcp.ConnectAsync(baseUri.Host, baseUri.Port);
        var stream = _tcp.GetStream();
        var key = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
        var request = $"GET /{path} HTTP/1.1\r\nHost: {baseUri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                      $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ocpp1.6\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one) == 1)
            head.Append((char)one[0]);
        return head.ToString();
    }

    public void Dispose() => _tcp.Dispose();
}
