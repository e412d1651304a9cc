using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;
using Cms.Ocpp.Endpoint;
using Cms.Ocpp.Tests.Support;

namespace Cms.IntegrationTests.Robustness;

/// <summary>Many failed admissions for one identity are refused with 429 before any secret is checked; others still connect.</summary>
public sealed class AdmissionThrottleTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task A_charger_id_that_keeps_failing_is_throttled_and_other_chargers_still_connect()
    {
        var api = fixture.Host.Admin;
        string[] ocpp16 = ["ocpp1.6"];
        var (_, cpId, ocppId) = await OcppKit.ChargePointAsync(api, "guessed");
        Assert.Equal(201, (await api.Post($"/v2/configurations/ocpp_settings/charge_points/{cpId}", new { secret = "right-secret-0123" })).Status);
        var uri = fixture.Host.OcppUri($"ocpp/{ocppId}");

        for (var i = 0; i < AdmissionThrottle.MaxFailuresPerIdentity; i++)
            Assert.Equal(401, await WsClient.ConnectExpectingRefusalAsync(uri, ocpp16, (ocppId, "guess-" + i)));
        // Throttled now, even with the right secret, until the window ends.
        Assert.Equal(429, await WsClient.ConnectExpectingRefusalAsync(uri, ocpp16, (ocppId, "right-secret-0123")));

        var (_, _, otherId) = await OcppKit.ChargePointAsync(api, "innocent");
        await using var other = await WsClient.ConnectAsync(fixture.Host.OcppUri($"ocpp/{otherId}"), ocpp16);
        Assert.Equal(3, (int)(await other.CallAsync("h", "Heartbeat", "{}"))[0]);
    }
}
