using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;
using Cms.Ocpp.Tests.Support;

namespace Cms.IntegrationTests.Robustness;

/// <summary>The message log is what an operator reads when a charger misbehaves: garbage frames must not break it.</summary>
public sealed class MessageLogAfterGarbageTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task Frames_that_are_not_json_are_listed_as_their_text_and_the_log_still_renders()
    {
        var api = fixture.Host.Admin;
        var (_, cpId, ocppId) = await OcppKit.ChargePointAsync(api, "garbage");
        await using var client = await WsClient.ConnectAsync(fixture.Host.OcppUri($"ocpp/{ocppId}"), ["ocpp1.6"]);
        await client.SendAsync("this is not json");
        await client.ReceiveFrameAsync();
        await client.SendAsync("""[2,"g1","Heartbeat",{""");
        await client.ReceiveFrameAsync();
        await client.SendAsync("nul\0in \"quotes\" \\ \u0001");
        await client.ReceiveFrameAsync();
        await client.SendAsync("""[2,"n\u0000l","Heartbeat",{}]"""); // a message id with a NUL, escaped as JSON allows
        await client.ReceiveFrameAsync();

        var mine = await api.Get($"/v2/ocpp_messages?chargepoint={cpId}&source=Charger");
        Assert.True(mine.Status == 200, mine.ToString());
        Assert.Contains(mine.Data, m => m["body"]?.ToString() == "this is not json");
        Assert.Contains(mine.Data, m => m["body"]?.ToString() == """[2,"g1","Heartbeat",{""");
        // A NUL is kept as U+FFFD (PostgreSQL's text has none); the rest as sent.
        Assert.Contains(mine.Data, m => m["body"]?.ToString() == "nul\uFFFDin \"quotes\" \\ \u0001");
        Assert.Contains(mine.Data, m => (string?)m["messageId"] == "n\uFFFDl");
        var all = await api.Get("/v2/ocpp_messages?limit=1000");
        Assert.True(all.Status == 200, all.ToString());
    }
}
