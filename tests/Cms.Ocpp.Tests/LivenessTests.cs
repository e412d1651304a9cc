using System.Net.WebSockets;
using Cms.Ocpp.Connection;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Tests;

/// <summary>Keep-alive and limits; these use real (short) WebSocket timers, waited on via events.</summary>
public class LivenessTests
{
    [Fact]
    public async Task A_charger_that_stops_answering_pings_is_dropped_and_its_calls_fail()
    {
        await using var host = await TestHost.StartAsync(configure: o =>
        {
            o.KeepAliveInterval = TimeSpan.FromMilliseconds(200);
            o.KeepAliveTimeout = TimeSpan.FromMilliseconds(500);
        });
        using var silent = new SilentCharger();
        Assert.StartsWith("HTTP/1.1 101", await silent.UpgradeAsync(host.BaseUri, "ocpp/SILENT"));
        var server = await host.Events.Connected.Task.WaitAsync(WsClient.Wait);
        var pending = server.CallAsync("ClearCache", new JObject());

        await host.Events.Disconnected.Task.WaitAsync(WsClient.Wait);
        Assert.Equal(OcppCallStatus.Closed, (await pending.WaitAsync(WsClient.Wait)).Status);
        Assert.Equal(0, host.Registry.Count);
    }

    [Fact]
    public async Task An_oversized_message_closes_with_1009()
    {
        await using var host = await TestHost.StartAsync(configure: o => o.MaxMessageBytes = 100);
        await using var client = await WsClient.ConnectAsync(host.OcppUri("ocpp/CP1"), ["ocpp1.6"]);

        await client.SendAsync($$"""[2,"big","DataTransfer",{"vendorId":"X","data":"{{new string('x', 200)}}"}]""");

        Assert.Null(await client.ReceiveAsync());
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, client.Socket.CloseStatus);
        await host.Events.Disconnected.Task.WaitAsync(WsClient.Wait);
    }

    [Fact]
    public async Task A_binary_message_is_ignored_and_the_connection_stays_up()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await WsClient.ConnectAsync(host.OcppUri("ocpp/CP1"), ["ocpp1.6"]);

        await client.Socket.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, CancellationToken.None);

        Assert.Equal("hb", (string?)(await client.CallAsync("hb", "Heartbeat", "{}"))[1]);
    }
}
