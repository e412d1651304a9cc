using System.Globalization;
using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;
using Cms.Ocpp.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Live;

/// <summary>Connectivity and uptime of a day a strict 1.6 charger lived through on the host's fake clock.</summary>
public sealed class KpiTests
{
    private static string Q(DateTimeOffset t) => Uri.EscapeDataString(t.ToString("O", CultureInfo.InvariantCulture));

    private static double? Kpi(ApiResponse response, string name)
    {
        Assert.True(response.Status == 200, response.ToString());
        return response.First[name]!.Type == JTokenType.Null ? null : Math.Round((double)response.First[name]!, 6);
    }

    private static double?[] Values(ApiResponse response)
    {
        Assert.True(response.Status == 200, response.ToString());
        return response.Body["data"]!["values"]!.Select(v => v.Type == JTokenType.Null ? (double?)null : Math.Round((double)v, 6)).ToArray();
    }

    /// <summary>
    /// 0–12 h connected (6–8 h Faulted), 12–24 h disconnected: connectivity 12/24, connector uptime 10/24.
    /// </summary>
    [NodeFact]
    public async Task Kpis_and_profiles_reflect_a_known_online_offline_and_Faulted_history()
    {
        var t = new DateTimeOffset(2030, 1, 7, 0, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(t);
        await using var host = await TestHost.StartAsync(time);
        var api = host.Admin;
        var (networkId, cpId, ocppId) = await OcppKit.ChargePointAsync(api, "kpi");

        var charger = await host.ConnectAsync($"ocpp/{ocppId}");
        await charger.BootAsync();
        var connector = (string)(await api.Get($"/v2/connectors?chargepoint={cpId}")).First["id"]!;
        time.Advance(TimeSpan.FromHours(6));
        await charger.CallAsync("StatusNotification", new { connectorId = 1, errorCode = "InternalError", status = "Faulted" });
        time.Advance(TimeSpan.FromHours(2));
        await charger.CallAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Available" });
        time.Advance(TimeSpan.FromHours(4));
        await charger.DisposeAsync();
        await OcppKit.EventuallyAsync(() => api.GetOne($"/v2/charge_points/{cpId}"), cp => (string?)cp["onlineStatus"] == "OFFLINE", "charger offline");
        time.Advance(TimeSpan.FromHours(12));

        var day = $"start={Q(t)}&end={Q(t.AddHours(24))}";
        Assert.Equal(0.5, Kpi(await api.Get($"/v2/kpis/connectivity/network?network={networkId}&{day}"), "connectivity"));
        var perCp = await api.Get($"/v2/kpis/connectivity/charge_points?network={networkId}&{day}");
        Assert.Equal(1, perCp.Total);
        Assert.Equal(cpId, (string?)perCp.First["chargePointId"]);
        Assert.Equal(0.5, Kpi(perCp, "connectivity"));

        var tenOf24 = Math.Round(10.0 / 24, 6);
        Assert.Equal(tenOf24, Kpi(await api.Get($"/v2/kpis/uptime/network?network={networkId}&{day}"), "uptime"));
        Assert.Equal(tenOf24, Kpi(await api.Get($"/v2/kpis/uptime/connectors?chargepoint={cpId}&{day}"), "uptime"));
        Assert.Equal(tenOf24, Kpi(await api.Get($"/v2/kpis/uptime/charge_points?chargepoint={cpId}&{day}"), "uptime"));
        // By the charge point's own status (it never reported connector 0): up whenever connected.
        Assert.Equal(0.5, Kpi(await api.Get($"/v2/kpis/uptime/charge_points?chargepoint={cpId}&{day}&aggregate_by_connector=false"), "uptime"));

        // Default period: the last week, of which the charge point existed for the last day; one bound: a week from it.
        var lastWeek = await api.Get($"/v2/kpis/connectivity/network?network={networkId}");
        Assert.Equal(0.5, Kpi(lastWeek, "connectivity"));
        Assert.Equal(t.AddHours(24).AddDays(-7), OcppKit.Time(lastWeek.First["start"]));
        Assert.Equal(t.AddHours(24), OcppKit.Time(lastWeek.First["end"]));
        var fromStart = await api.Get($"/v2/kpis/uptime/connectors?connector={connector}&start={Q(t)}");
        Assert.Equal(t.AddDays(7), OcppKit.Time(fromStart.First["end"]));
        Assert.Equal(tenOf24, Kpi(fromStart, "uptime"));
        Assert.NotNull((await api.Get($"/v2/kpis/uptime/network?network={networkId}&start={Q(t.AddHours(2))}&end={Q(t)}")).FailFor("end"));
        Assert.Equal("is required", (await api.Get("/v2/kpis/connectivity/network")).FailFor("network"));
        Assert.NotNull((await api.Get($"/v2/kpis/uptime/charge_points?aggregate_by_connector=maybe")).FailFor("aggregate_by_connector"));

        // The same day as 5-hour steps.
        Assert.Equal([1.0, 1.0, 0.4, 0.0, 0.0], Values(await api.Get($"/v2/profiles/connectivity?chargepoint={cpId}&{day}&resolution=5h")));
        Assert.Equal([1.0, 0.6, 0.4, 0.0, 0.0], Values(await api.Get($"/v2/profiles/uptime?connector={connector}&{day}&resolution=5h")));
        Assert.Equal([1.0, 0.6, 0.4, 0.0, 0.0], Values(await api.Get($"/v2/profiles/uptime?network={networkId}&{day}&resolution=5h")));
        // Before the charge point existed nothing is known.
        Assert.Equal([null, 1.0], Values(await api.Get($"/v2/profiles/connectivity?network={networkId}&start={Q(t.AddHours(-5))}&end={Q(t.AddHours(5))}&resolution=5h")));
    }
}
