using Cms.IntegrationTests.Harness;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Ocpp.Proxy;

/// <summary>Setting up proxy mode in a test: the customer's settings, a proxied charger, the upstream's outages.</summary>
public static class ProxyKit
{
    public const string Secret = "customer-s3cret";

    /// <summary>The default customer proxies its chargers to the upstream.</summary>
    public static async Task ProxyToAsync(TestHost host, NodeUpstream upstream) =>
        Assert.Equal(201, (await host.Admin.Post("/v2/configurations/ocpp_settings",
            new { secret = Secret, feature = "proxy", targetCmsUrl = upstream.Url })).Status);

    /// <summary>A new charge point whose charger connects through AmpCMS; waits until the upstream sees it.</summary>
    public static async Task<(string ChargePointId, string OcppId, NodeCharger Charger)> ProxiedChargerAsync(TestHost host, NodeUpstream upstream,
        string prefix, string protocol = "ocpp1.6")
    {
        var (_, cpId, ocppId) = await OcppKit.ChargePointAsync(host.Admin, prefix);
        var charger = await host.ConnectAsync($"ocpp/default/{ocppId}", Secret, protocol);
        await upstream.WaitForAsync(e => (string?)e["event"] == "connected" && (string?)e["identity"] == ocppId, "upstream connection");
        return (cpId, ocppId, charger);
    }

    /// <summary>The upstream goes away and AmpCMS has noticed (its disconnection event).</summary>
    public static async Task OutageAsync(TestHost host, NodeUpstream upstream, string ocppId)
    {
        await upstream.SendAsync(new { stop = true });
        await upstream.WaitForAsync(e => (string?)e["event"] == "stopped", "upstream stopped");
        await EventAsync(host, ocppId, "upstream CMS disconnected");
    }

    /// <summary>Waits for the charger's ocpp_event whose description contains the text.</summary>
    public static async Task<JToken> EventAsync(TestHost host, string ocppId, string text)
    {
        var events = await OcppKit.EventuallyAsync(() => host.Admin.Get($"/v2/ocpp_events?chargepoint_serial={ocppId}&limit=1000"),
            r => r.Data.Any(e => ((string?)e["description"] ?? "").Contains(text, StringComparison.Ordinal)), $"ocpp_event '{text}'");
        return events.Data.First(e => ((string?)e["description"] ?? "").Contains(text, StringComparison.Ordinal));
    }

    public static object MeterValues(long transactionId, string value, string measurand = "Energy.Active.Import.Register", string unit = "Wh") => new
    {
        connectorId = 1, transactionId,
        meterValue = new[] { new { timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow), sampledValue = new[] { new { value, measurand, unit } } } },
    };

    public static string MeterValue(JObject received) => (string)received["payload"]!["meterValue"]![0]!["sampledValue"]![0]!["value"]!;
}
