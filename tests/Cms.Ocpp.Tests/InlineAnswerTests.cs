using Cms.Ocpp.Connection;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Tests;

/// <summary>
/// Heartbeat, StatusNotification and MeterValues are answered by the receive loop itself; they must never overtake a
/// CALL of the same charger that is still being answered.
/// </summary>
public class InlineAnswerTests
{
    [Fact]
    public async Task A_heartbeat_sent_behind_a_slow_call_is_answered_after_it()
    {
        var handler = new TestCallHandler();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        handler.Overrides["Authorize"] = async (_, _) =>
        {
            await release.Task;
            return new JObject { ["idTagInfo"] = new JObject { ["status"] = "Accepted" } };
        };
        await using var host = await TestHost.StartAsync(handler);
        await using var client = await WsClient.ConnectAsync(host.OcppUri("ocpp/CP1"), ["ocpp1.6"]);

        await client.SendAsync("""[2,"slow","Authorize",{"idTag":"T1"}]""");
        await client.SendAsync("""[2,"hb","Heartbeat",{}]""");
        // Both are read (and logged) before the slow one may finish.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (host.FrameLog.Entries.Count(e => e.Direction == OcppFrameDirection.Incoming) < 2 && DateTime.UtcNow < deadline)
            await Task.Delay(10);
        Assert.Equal(2, host.FrameLog.Entries.Count(e => e.Direction == OcppFrameDirection.Incoming));
        release.SetResult();

        Assert.Equal("slow", (string?)(await client.ReceiveFrameAsync())[1]);
        var heartbeat = await client.ReceiveFrameAsync();
        Assert.Equal(("hb", 3), ((string?)heartbeat[1], (int)heartbeat[0]));
    }

    [Fact]
    public async Task Hot_calls_back_to_back_are_each_answered_in_order()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await WsClient.ConnectAsync(host.OcppUri("ocpp/CP1"), ["ocpp1.6"]);

        for (var i = 0; i < 20; i++)
        {
            var answer = i % 2 == 0
                ? await client.CallAsync($"s{i}", "StatusNotification", """{"connectorId":1,"errorCode":"NoError","status":"Available"}""")
                : await client.CallAsync($"h{i}", "Heartbeat", "{}");
            Assert.Equal((3, i % 2 == 0 ? $"s{i}" : $"h{i}"), ((int)answer[0], (string?)answer[1]));
        }
    }
}
