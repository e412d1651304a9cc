using Cms.IntegrationTests.Harness;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Optimizations;

/// <summary>Sessions started, changed and stopped over REST produce the optimizations the spec shows.</summary>
public sealed class OptimizationTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TestHost Host => fixture.Host;
    private ApiClient Api => fixture.Host.Admin;

    private async Task<(string Network, string ChargePoint, string[] Connectors)> SiteAsync(double capacity, int connectors, double connectorMax = 75)
    {
        var network = await Api.Network(capacity);
        var cp = await Api.ChargePoint(network.Id(), maxCapacity: 150);
        var ids = new List<string>();
        for (var i = 1; i <= connectors; i++) ids.Add((await Api.Connector(cp.Id(), i, connectorMax, "DC", 400)).Id());
        return (network.Id(), cp.Id(), ids.ToArray());
    }

    [Fact]
    public async Task Getting_started_step_6_one_session_gets_the_network_minus_buffer_for_10_periods()
    {
        var watch = new OptimizationWatch(Host);
        var (network, cp, connectors) = await SiteAsync(30, 1);
        var session = await Api.Create("/v2/charging_sessions/", new { chargePointId = cp, connectorId = connectors[0] });
        await watch.WaitAsync(network, r => r.Items.Count == 1);

        var list = await Api.Get($"/v2/optimizations/?network={network}");
        Assert.Equal(200, list.Status);
        Assert.Equal(1, list.Total);
        var o = list.First;
        Assert.Equal("load_sharing", (string?)o["method"]);
        Assert.Equal(1, (int)o["connectorId"]!);
        Assert.Equal(connectors[0], (string?)o["connector"]);
        Assert.Equal(cp, (string?)o["chargepointId"]);
        Assert.Equal(network, (string?)o["networkId"]);
        var profile = (JObject)o["csChargingProfiles"]!;
        Assert.Equal("Absolute", (string?)profile["chargingProfileKind"]);
        Assert.Equal("TxProfile", (string?)profile["chargingProfilePurpose"]);
        Assert.True((int)profile["chargingProfileId"]! > 0);
        var schedule = profile["chargingSchedule"]!;
        Assert.Equal("kW", (string?)schedule["chargingRateUnit"]);
        Assert.Equal(9000.0, (double)schedule["duration"]!);
        var periods = (JArray)schedule["chargingSchedulePeriod"]!;
        Assert.Equal(10, periods.Count);
        Assert.All(periods.Select((p, k) => (p, k)), x =>
        {
            Assert.Equal(29.4, (double)x.p["limit"]!, 6);
            Assert.Equal(x.k * 900.0, (double)x.p["startPeriod"]!);
        });
        var validFrom = DateTimeOffset.Parse((string)profile["validFrom"]!);
        Assert.Equal(TimeSpan.FromMinutes(150), DateTimeOffset.Parse((string)profile["validTo"]!) - validFrom);
        var series = (JObject)o["profile"]!;
        Assert.Equal("kW", (string?)series["unit"]);
        Assert.Equal(10, ((JArray)series["data"]!).Count);
        Assert.Equal(29.4, (double)series["data"]![9]!["value"]!, 6);
        Assert.Equal(200, (await Api.Get($"/v2/optimizations/{o.Id()}")).Status);
        Assert.Equal(29.4, (double)(await Api.Get($"/v2/networks/{network}")).First["currentLimit"]!, 6);

        // Stopping the session retires its optimization: the active list empties, the history keeps it.
        var before = watch.Count;
        await Api.Delete($"/v2/charging_sessions/{session.Id()}");
        await watch.WaitAsync(network, r => r.Items.Count == 0, after: before);
        Assert.Equal(0, (await Api.Get($"/v2/optimizations/?network={network}")).Total);
        var history = await Api.Get($"/v2/optimizations/?network={network}&start={Uri.EscapeDataString(validFrom.AddHours(-1).ToString("O"))}&end={Uri.EscapeDataString(validFrom.AddHours(3).ToString("O"))}");
        // A run that began before the session existed may still read it, so the session can be planned by more than one
        // run; history keeps one row per run that planned it.
        var planned = watch.Of(network).Count(r => r.Items.Count == 1);
        Assert.InRange(planned, 1, 2);
        Assert.Equal(planned, history.Total);
    }

    [Fact]
    public async Task Two_sessions_share_priorities_shift_and_a_stop_hands_power_back()
    {
        var watch = new OptimizationWatch(Host);
        var (network, cp, connectors) = await SiteAsync(30, 2);
        var a = (await Api.Create("/v2/charging_sessions", new { chargePointId = cp, connectorId = 1 })).Id();
        var b = (await Api.Create("/v2/charging_sessions", new { chargePointId = cp, connectorId = 2 })).Id();

        var shared = await watch.FirstLimitsAsync(network, l => l.Count == 2);
        Assert.Equal(14.7, shared[a], 6);
        Assert.Equal(14.7, shared[b], 6);

        await Api.Patch($"/v2/charging_sessions/{a}", new { priority = 1 });
        var shifted = await watch.FirstLimitsAsync(network, l => l.Count == 2 && l[a] > l[b]);
        Assert.True(shifted[a] + shifted[b] <= 29.4 + 1e-9);
        Assert.True(shifted[a] > 14.7);

        var before = watch.Count;
        await Api.Delete($"/v2/charging_sessions/{a}");
        var alone = await watch.FirstLimitsAsync(network, l => l.Count == 1, after: before);
        Assert.Equal(29.4, alone[b], 6);
    }

    [Fact]
    public async Task A_vehicle_capped_at_11_kW_gets_11_and_the_rest_goes_to_the_other()
    {
        var watch = new OptimizationWatch(Host);
        var (network, cp, _) = await SiteAsync(30, 2);
        var vehicle = await Api.Create("/v2/vehicles", new { name = "Bus 2", batteryCapacity = 100, maxChargingPower = 11, targetStateOfCharge = 100 });
        var capped = (await Api.Create("/v2/charging_sessions", new { chargePointId = cp, connectorId = 1, vehicleId = vehicle.Id() })).Id();
        var other = (await Api.Create("/v2/charging_sessions", new { chargePointId = cp, connectorId = 2 })).Id();
        var limits = await watch.FirstLimitsAsync(network, l => l.Count == 2);
        Assert.Equal(11, limits[capped], 6);
        Assert.Equal(18.4, limits[other], 6);
    }

    [Fact]
    public async Task Limits_come_in_the_sessions_unit_W_or_A()
    {
        var watch = new OptimizationWatch(Host);
        var network = await Api.Network(30);
        var cp = await Api.ChargePoint(network.Id(), maxCapacity: 22);
        await Api.Create("/v2/connectors", new { chargePointId = cp.Id(), connectorId = 1, maxCapacity = 11, currentType = "AC_phase3_LN", voltage = 230, powerFactor = 1 });
        await Api.Create("/v2/connectors", new { chargePointId = cp.Id(), connectorId = 2, maxCapacity = 11, currentType = "AC_phase3_LN", voltage = 230, powerFactor = 1 });
        await Api.Create("/v2/charging_sessions", new { chargePointId = cp.Id(), connectorId = 1, chargingRateUnit = "A" });
        await Api.Create("/v2/charging_sessions", new { chargePointId = cp.Id(), connectorId = 2, chargingRateUnit = "W" });
        await watch.WaitAsync(network.Id(), r => r.Items.Count == 2);
        var items = (await Api.Get($"/v2/optimizations?network={network.Id()}&sort=connectorId:asc")).Data;
        var amps = items[0]["csChargingProfiles"]!["chargingSchedule"]!;
        Assert.Equal("A", (string?)amps["chargingRateUnit"]);
        // 11 kW on 3 × 230 V line-to-neutral, PF 1: I = 11000 / (3 × 230) = 15.94 A, floored to 0.1.
        Assert.Equal(15.9, (double)amps["chargingSchedulePeriod"]![0]!["limit"]!, 6);
        var watts = items[1]["csChargingProfiles"]!["chargingSchedule"]!;
        Assert.Equal("W", (string?)watts["chargingRateUnit"]);
        Assert.Equal(11000.0, (double)watts["chargingSchedulePeriod"]![0]!["limit"]!, 6);
    }

    [Fact]
    public async Task Listing_optimizations_needs_a_scope()
    {
        var response = await Api.Get("/v2/optimizations/");
        Assert.Equal(400, response.Status);
        Assert.NotNull(response.FailFor("network"));
        Assert.Equal(405, (await Api.Post("/v2/optimizations/", new { method = "x" })).Status);
    }

    [Fact]
    public async Task A_stopped_session_leaves_the_planned_profile_at_its_end()
    {
        var watch = new OptimizationWatch(Host);
        var (network, cp, _) = await SiteAsync(30, 2);
        var a = (await Api.Create("/v2/charging_sessions", new { chargePointId = cp, connectorId = 1 })).Id();
        var b = (await Api.Create("/v2/charging_sessions", new { chargePointId = cp, connectorId = 2 })).Id();
        var run = await watch.WaitAsync(network, r => r.Items.Count == 2);
        Assert.Equal(200, (await Api.Delete($"/v2/charging_sessions/{a}")).Status);

        // From a minute on, the network's plan is b's alone: a's last plan reached 2.5 h ahead but a has ended.
        var window = $"start={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}" +
            $"&end={Uri.EscapeDataString(run.Start.AddHours(3).ToString("O"))}&resolution=15m";
        async Task<double[]> Series(string scope) =>
            (await Api.Get($"/v2/profiles/optimizations/?{scope}&{window}")).Body["data"]!["values"]!.Select(v => (double)v).ToArray();
        var plans = await Cms.IntegrationTests.Ocpp.OcppKit.EventuallyAsync(
            async () => (Network: string.Join(" ", await Series($"network={network}")), B: string.Join(" ", await Series($"charging_session={b}"))),
            p => p.B.Length > 0 && !p.B.StartsWith('0') && p.Network == p.B, "the network plan without the stopped session");
        Assert.Equal(plans.B, plans.Network);
        Assert.All(await Series($"charging_session={a}"), v => Assert.Equal(0, v, 6));
    }

    [Fact]
    public async Task Profiles_show_the_plan_as_a_series_per_scope_and_per_session()
    {
        var watch = new OptimizationWatch(Host);
        var (network, cp, connectors) = await SiteAsync(30, 2);
        var a = (await Api.Create("/v2/charging_sessions", new { chargePointId = cp, connectorId = 1 })).Id();
        var b = (await Api.Create("/v2/charging_sessions", new { chargePointId = cp, connectorId = 2 })).Id();
        var run = await watch.WaitAsync(network, r => r.Items.Count == 2);
        var from = Uri.EscapeDataString(run.Start.ToString("O"));
        var to = Uri.EscapeDataString(run.Start.AddHours(3).ToString("O"));

        var series = await Api.Get($"/v2/profiles/optimizations/?network={network}&start={from}&end={to}&resolution=15m");
        Assert.Equal(200, series.Status);
        Assert.Equal(12, series.Total);
        var values = series.Body["data"]!["values"]!.Select(v => (double)v).ToArray();
        Assert.All(values.Take(10), v => Assert.Equal(29.4, v, 6)); // both sessions' 14.7 kW for the 2.5 h planned
        Assert.All(values.Skip(10), v => Assert.Equal(0, v, 6));
        var one = await Api.Get($"/v2/profiles/optimizations/?connector={connectors[0]}&start={from}&end={to}&resolution=15m");
        Assert.Equal(14.7, (double)one.Body["data"]!["values"]![0]!, 6);
        Assert.NotNull((await Api.Get($"/v2/profiles/optimizations/?network={network}&connector={connectors[0]}")).FailFor("network"));

        var perSession = await Api.Get($"/v2/charging_sessions/profiles/?network={network}&start={from}&end={to}");
        Assert.Equal(2, perSession.Total);
        Assert.Equal(new[] { a, b }.Order(), perSession.Data.Select(d => (string)d["chargingSessionId"]!).Order());
        Assert.Equal(14.7, (double)perSession.First["data"]![0]!["value"]!, 6);
        Assert.Equal("is required", (await Api.Get("/v2/charging_sessions/profiles/")).FailFor("network"));
    }
}
