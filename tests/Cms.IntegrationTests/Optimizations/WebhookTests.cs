using System.Security.Cryptography;
using System.Text;
using Cms.IntegrationTests.Harness;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Optimizations;

public sealed class WebhookTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private ApiClient Api => fixture.Host.Admin;

    [Fact]
    public async Task Optimizations_are_posted_signed_and_a_404_ends_the_session()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var watch = new OptimizationWatch(fixture.Host);
        var network = await Api.Network(30);
        await Api.Patch($"/v2/networks/{network.Id()}", new { webhook = receiver.Url, webhookSecret = "some-secret-string" });
        var cp = await Api.ChargePoint(network.Id(), maxCapacity: 50);
        await Api.Connector(cp.Id(), 1, 50);
        var session = await Api.Create("/v2/charging_sessions", new { chargePointId = cp.Id(), connectorId = 1 });

        await receiver.WaitForAsync(1);
        var (headers, body) = receiver.Received[0];
        Assert.Equal("Ampcontrol Delivery Service", headers.UserAgent.ToString());
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("some-secret-string"), Encoding.UTF8.GetBytes(body)));
        Assert.Equal(expected, headers["X-Webhook-Signature"].ToString());
        var posted = JObject.Parse(body);
        Assert.Equal(network.Id(), (string?)posted["networkId"]);
        Assert.Equal(29.4, (double)posted["csChargingProfiles"]!["chargingSchedule"]!["chargingSchedulePeriod"]![0]!["limit"]!, 6);

        // The receiver no longer knows the session: AmpCMS ends it.
        receiver.AnswerStatus = 404;
        var before = watch.Count;
        await Api.Patch($"/v2/charging_sessions/{session.Id()}", new { priority = 1 });
        await receiver.WaitForAsync(2);
        // Ending the session replans the network: wait for that run, then look at the session.
        await watch.WaitAsync(network.Id(), r => r.Items.Count == 0, after: before);
        Assert.False((bool)(await Api.Get($"/v2/charging_sessions/{session.Id()}")).First["active"]!);

        var events = await Api.Get($"/v2/events?network={network.Id()}&category=Delivery");
        Assert.Contains(events.Data, e => ((string)e["description"]!).Contains("404"));
        var optimizationEvents = await Api.Get($"/v2/events?network={network.Id()}&category=Optimization");
        Assert.True(optimizationEvents.Total >= 1);
        var resolved = await Api.Patch($"/v2/events/{events.First.Id()}", new { status = "Resolved" });
        Assert.Equal("Resolved", (string?)resolved.First["status"]);
        Assert.NotNull((await Api.Patch($"/v2/events/{events.First.Id()}", new { description = "x" })).FailFor("description"));
        Assert.Equal(400, (await Api.Get("/v2/events")).Status);
    }
}
