using System.Net.WebSockets;
using System.Text;
using Cms.Ocpp.Tests.Support;

namespace Cms.Ocpp.Tests;

/// <summary>A send that cannot complete (the charger stopped reading and its socket is full) aborts the connection after
/// SendTimeout, even with far fewer unanswered calls than the queue's limit. Sends that complete at once arm no timeout.</summary>
public class SendTimeoutTests
{
    [Fact]
    public async Task A_charger_whose_socket_stays_full_is_aborted_after_the_send_timeout()
    {
        await using var host = await NonReadingCharger.StartHostAsync();
        await using var normal = await WsClient.ConnectAsync(host.OcppUri("ocpp/NORMAL"), ["ocpp1.6"]);
        host.Events.Reset();

        using var stuck = await NonReadingCharger.ConnectAsync(host, "STUCK");
        var connection = await host.Events.Connected.Task.WaitAsync(WsClient.Wait);
        // 64 big answers (16 MiB) are more than loopback buffers hold, and far fewer than the 256 unanswered calls
        // that close a connection for back-pressure: only the send timeout can end this one.
        var call = Encoding.UTF8.GetBytes("""[2,"d","DataTransfer",{"vendorId":"stuck"}]""");
        for (var i = 0; i < 64; i++)
            await stuck.SendAsync(call, WebSocketMessageType.Text, true, CancellationToken.None);

        // The fake clock only moves when told: keep moving it past SendTimeout until the blocked send gives up.
        using var limit = new CancellationTokenSource(WsClient.Wait);
        while (!connection.Completion.IsCompleted)
        {
            host.Time.Advance(TimeSpan.FromSeconds(16));
            await Task.WhenAny(connection.Completion, Task.Delay(50, limit.Token));
        }
        Assert.Equal("Not reading", connection.CloseReason);
        Assert.False(host.Registry.TryGet("", "STUCK", out _));
        Assert.Equal(3, (int)(await normal.CallAsync("after", "Heartbeat", "{}"))[0]);
    }
}
