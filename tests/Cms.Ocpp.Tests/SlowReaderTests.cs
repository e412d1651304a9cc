using System.Net.WebSockets;
using System.Text;
using Cms.Ocpp.Tests.Support;

namespace Cms.Ocpp.Tests;

/// <summary>A charger that keeps sending but never reads its answers is closed; the others are not held up meanwhile.</summary>
public class SlowReaderTests
{
    [Fact]
    public async Task A_charger_that_never_reads_is_closed_and_others_keep_being_answered()
    {
        // Big answers fill the never-reading charger's socket within a few calls.
        await using var host = await NonReadingCharger.StartHostAsync();
        await using var normal = await WsClient.ConnectAsync(host.OcppUri("ocpp/NORMAL"), ["ocpp1.6"]);
        host.Events.Reset();

        using var flooder = await NonReadingCharger.ConnectAsync(host, "FLOOD");
        var flood = (await host.Events.Connected.Task.WaitAsync(WsClient.Wait)).Info.ConnectionId;
        var call = Encoding.UTF8.GetBytes("""[2,"d","DataTransfer",{"vendorId":"flood"}]""");
        var sent = 0;
        using var limit = new CancellationTokenSource(WsClient.Wait);
        try
        {
            for (; sent < 20_000; sent++)
            {
                await flooder.SendAsync(call, WebSocketMessageType.Text, true, limit.Token);
                if (sent % 100 == 0) Assert.Equal(3, (int)(await normal.CallAsync("n" + sent, "Heartbeat", "{}"))[0]);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // the CSMS dropped the flooder
        }
        var disconnected = await host.Events.Disconnected.Task.WaitAsync(WsClient.Wait);
        Assert.Equal(flood, disconnected.ConnectionId);
        Assert.InRange(sent, 1, 19_999);
        Assert.False(host.Registry.TryGet("", "FLOOD", out _));
        Assert.Equal(3, (int)(await normal.CallAsync("after", "Heartbeat", "{}"))[0]);
    }
}
