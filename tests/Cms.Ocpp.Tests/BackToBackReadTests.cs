using System.Net.WebSockets;
using Cms.Ocpp.Connection;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Tests;

/// <summary>A charger sending back to back is read straight into a buffer, one read per message: messages of every size
/// (one byte short of the buffer, the buffer exactly, one byte over, several buffers) still arrive whole, and the size
/// limit still closes the connection.</summary>
public sealed class BackToBackReadTests
{
    /// <summary>Every gap counts as back to back, so the path is certain whatever the machine's load.</summary>
    private static readonly TimeSpan AnyGap = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Messages_of_every_size_read_straight_into_the_buffer_arrive_whole()
    {
        var handler = new TestCallHandler();
        // The answer says how long the data was, and how it ended: a message cut or joined wrongly shows in both.
        handler.Overrides["DataTransfer"] = (_, payload) =>
        {
            var data = (string)payload["data"]!;
            return Task.FromResult(new JObject { ["status"] = "Accepted", ["data"] = $"{data.Length}:{data[^3..]}" });
        };
        await using var host = await TestHost.StartAsync(handler, configure: o => o.BackToBackGap = AnyGap);
        await using var client = await WsClient.ConnectAsync(host.OcppUri("ocpp/CP1"), ["ocpp1.6"]);
        var server = await host.Events.Connected.Task.WaitAsync(WsClient.Wait);

        for (var i = 0; i <= OcppConnection.BackToBackMessages; i++)
            Assert.Equal(3, (int)(await client.CallAsync($"hb{i}", "Heartbeat", "{}"))[0]);
        var before = server.DirectReads;

        static string Frame(string data) => $$"""[2,"dt","DataTransfer",{"vendorId":"X","data":"{{data}}"}]""";
        var around = Frame("").Length; // ASCII: characters are bytes
        var sizes = new[] { 100, 8191, 8192, 8193, 3 * 8192 + 17 }; // the whole frame's bytes; the buffer holds 8,192
        foreach (var size in sizes)
        {
            var data = string.Concat(Enumerable.Range(0, size - around).Select(i => (char)('a' + i % 26)));
            Assert.Equal(size, Frame(data).Length);
            await client.SendAsync(Frame(data));
            var answer = JArray.Parse((await client.ReceiveAsync())!);
            Assert.Equal($"{data.Length}:{data[^3..]}", (string?)answer[2]["data"]);
        }
        Assert.Equal(before + 5, server.DirectReads);
    }

    [Fact]
    public async Task A_message_over_the_limit_read_straight_into_the_buffer_closes_with_1009()
    {
        await using var host = await TestHost.StartAsync(configure: o => { o.BackToBackGap = AnyGap; o.MaxMessageBytes = 5_000; });
        await using var client = await WsClient.ConnectAsync(host.OcppUri("ocpp/CP1"), ["ocpp1.6"]);
        var server = await host.Events.Connected.Task.WaitAsync(WsClient.Wait);
        for (var i = 0; i <= OcppConnection.BackToBackMessages; i++)
            await client.CallAsync($"hb{i}", "Heartbeat", "{}");

        await client.SendAsync($$"""[2,"big","DataTransfer",{"vendorId":"X","data":"{{new string('x', 6_000)}}"}]""");

        Assert.Null(await client.ReceiveAsync());
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, client.Socket.CloseStatus);
        Assert.True(server.DirectReads > 0);
    }
}
