using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;
using Cms.Ocpp.Tests.Support;

namespace Cms.Console.Tests;

/// <summary>GET /metrics as a Prometheus server scrapes it, after a strict ocpp-rpc charger has charged.</summary>
public sealed class MetricsTests
{
    [NodeFact]
    public async Task Metrics_count_chargers_messages_by_action_optimizer_runs_deliveries_and_write_lock_waits()
    {
        await using var host = await TestHost.StartAsync();
        var network = await host.Admin.Network(maxCapacity: 30);
        var ocppId = OcppKit.NewOcppId("metrics");
        await host.Admin.Create("/v2/charge_points/", new { name = "m", maxCapacity = 22, networkId = network.Id(), ocppId, allowAllIdTags = true });
        await using var charger = await host.ConnectAsync($"ocpp/{ocppId}");
        await charger.HandleAsync("SetChargingProfile", new { status = "Accepted" });
        await charger.BootAsync();
        await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "M-1", meterStart = 0, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) });
        await charger.WaitForEventAsync("received", "SetChargingProfile");

        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var text = await OcppKit.EventuallyAsync(() => http.GetStringAsync("/metrics"),
            t => Value(t, "ampcms_delivery_profiles_total", "outcome=\"Accepted\"") >= 1, "an accepted delivery in /metrics");

        Assert.True(Value(text, "ampcms_ocpp_connected_chargers") >= 1, text);
        Assert.True(Value(text, "ampcms_ocpp_messages_total", "action=\"BootNotification\"", "source=\"Charger\"", "type=\"Call\"") >= 1, text);
        Assert.True(Value(text, "ampcms_ocpp_messages_total", "action=\"StartTransaction\"", "source=\"AmpCMS\"", "type=\"CallResult\"") >= 1, text);
        Assert.True(Value(text, "ampcms_optimizer_runs_total", "outcome=\"ok\"") >= 1, text);
        Assert.True(Value(text, "ampcms_optimizer_run_duration_seconds_count") >= 1, text);
        Assert.True(Value(text, "ampcms_storage_write_lock_wait_seconds_count") >= 1, text);
        Assert.Contains("# TYPE ampcms_ocpp_messages_total counter", text);
        Assert.Contains("# TYPE ampcms_storage_write_lock_wait_seconds histogram", text);
        charger.AssertNoComplaints();
    }

    [Fact]
    public async Task With_a_metrics_token_a_scrape_without_it_is_refused()
    {
        await using var host = await TestHost.StartAsync(null, "--Metrics:Token=scrape-secret");
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/metrics")).StatusCode);

        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        scrape.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "scrape-secret");
        var answer = await http.SendAsync(scrape);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("ampcms_ocpp_connected_chargers", await answer.Content.ReadAsStringAsync());
    }

    /// <summary>The sample of a metric whose labels include all of the given ones; -1 when there is none.</summary>
    static double Value(string exposition, string metric, params string[] labels)
    {
        foreach (var line in exposition.Split('\n'))
        {
            var match = Regex.Match(line, @"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>\S+)");
            if (!match.Success || match.Groups["name"].Value != metric) continue;
            if (labels.All(l => match.Groups["labels"].Value.Contains(l, StringComparison.Ordinal)))
                return double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        }
        return -1;
    }
}
