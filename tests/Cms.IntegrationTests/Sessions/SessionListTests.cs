using Cms.Core.Resources;
using Cms.IntegrationTests.Harness;
using Microsoft.Extensions.Time.Testing;

namespace Cms.IntegrationTests.Sessions;

/// <summary>
/// One fixture for every list filter. At T0+60min network A has: s1 (connector 1, ended at +30 with 50 kWh, 1800 s),
/// s2 (connector 2, open since +10, 3000 s) and s4 (connector 1, open since +40, 1200 s); network B has s3.
/// </summary>
public sealed class SessionListTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2021, 7, 10, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);
    private TestHost _host = null!;
    private Site _a = null!, _b = null!;
    private string _s1 = "", _s2 = "", _s3 = "", _s4 = "";

    private static string At(int minutes) => Uri.EscapeDataString(Iso.Format(T0.AddMinutes(minutes)));
    private string Window => $"network={_a.NetworkId}&start={At(-600)}&end={At(600)}";

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartAsync(_time);
        _a = await Site.CreateAsync(_host.Admin, "alpha");
        _b = await Site.CreateAsync(_host.Admin, "beta");
        _s1 = (string)(await _a.StartAsync(_host.Admin, 1, new { idTag = "TAG1", transactionId = 100, priority = 1, meterStart = 0 }))["id"]!;
        _time.Advance(TimeSpan.FromMinutes(10));
        _s2 = (string)(await _a.StartAsync(_host.Admin, 2, new { idTag = "TAG2", transactionId = 2009348715, priority = 5 }))["id"]!;
        _time.Advance(TimeSpan.FromMinutes(10));
        _s3 = (string)(await _b.StartAsync(_host.Admin, 1, new { idTag = "TAG1" }))["id"]!;
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(200, (await _host.Admin.Patch($"/v2/charging_sessions/{_s1}", new { meterStop = 50 })).Status);
        _time.Advance(TimeSpan.FromMinutes(10));
        _s4 = (string)(await _a.StartAsync(_host.Admin, 1))["id"]!;
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(200, (await _host.Admin.Patch($"/v2/charging_sessions/{_s2}", new { paymentInfo = "x" })).Status);
        Assert.Equal(200, (await _host.Admin.Patch($"/v2/connectors/{_a.Connector2}", new { ocppStatus = "Charging" })).Status);
        _time.Advance(TimeSpan.FromMinutes(10));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<string[]> Ids(string query)
    {
        var response = await _host.Admin.Get("/v2/charging_sessions?" + query);
        Assert.True(response.Status == 200, response.ToString());
        return response.Data.Select(d => (string)d["id"]!).ToArray();
    }

    private async Task<string[]> SortedIds(string query) => (await Ids(query)).Order().ToArray();
    private string[] Set(params string[] ids) => ids.Order().ToArray();

    [Fact]
    public async Task By_default_only_active_sessions_of_the_scope_newest_first()
    {
        Assert.Equal([_s4, _s2], await Ids($"network={_a.NetworkId}"));
        Assert.Equal([_s3], await Ids($"network={_b.NetworkId}"));
    }

    [Fact]
    public async Task Start_and_end_together_bring_in_ended_sessions_overlapping_the_window()
    {
        Assert.Equal([_s4, _s2, _s1], await Ids(Window));
        Assert.Equal([_s1], await Ids($"network={_a.NetworkId}&start={At(-60)}&end={At(5)}"));
        Assert.Equal(Set(_s2, _s4), await SortedIds($"network={_a.NetworkId}&start={At(35)}&end={At(120)}"));
        // Only one of them: still active sessions only.
        Assert.Equal(Set(_s2, _s4), await SortedIds($"network={_a.NetworkId}&start={At(-600)}"));
        Assert.Equal([_s2], await Ids($"network={_a.NetworkId}&end={At(20)}"));
    }

    [Fact]
    public async Task Active_and_isActive_filter_and_ended_ones_need_the_window()
    {
        Assert.Equal([_s1], await Ids(Window + "&isActive=false"));
        Assert.Equal([_s1], await Ids(Window + "&active=false"));
        Assert.Equal(Set(_s2, _s4), await SortedIds(Window + "&isActive=true"));
        var refused = await _host.Admin.Get($"/v2/charging_sessions?network={_a.NetworkId}&isActive=false");
        Assert.Equal(400, refused.Status);
        Assert.NotNull(refused.FailFor("start"));
        Assert.Equal(400, (await _host.Admin.Get($"/v2/charging_sessions?network={_a.NetworkId}&isActive=maybe")).Status);
    }

    [Fact]
    public async Task A_scope_is_required()
    {
        var response = await _host.Admin.Get($"/v2/charging_sessions?chargepoint={_a.ChargePointId}");
        Assert.Equal(400, response.Status);
        Assert.NotNull(response.FailFor("network"));
        var unknown = await _host.Admin.Get($"/v2/charging_sessions?network={_a.NetworkId}&colour=red");
        Assert.Equal(400, unknown.Status);
        Assert.NotNull(unknown.FailFor("colour"));
    }

    [Fact]
    public async Task Chargepoint_connector_idTag_transaction_priority_and_status()
    {
        Assert.Equal(Set(_s1, _s2, _s4), await SortedIds(Window + $"&chargepoint={_a.ChargePointId}"));
        Assert.Empty(await Ids(Window + $"&chargepoint={_b.ChargePointId}"));
        Assert.Equal(Set(_s1, _s4), await SortedIds(Window + $"&connector={_a.Connector1}"));
        Assert.Equal(Set(_s1, _s2, _s4), await SortedIds(Window + $"&connector={_a.Connector1}&connector={_a.Connector2}"));
        Assert.Equal([_s1], await Ids(Window + "&idTag=TAG1"));
        Assert.Equal(Set(_s1, _s2), await SortedIds(Window + "&idTag=TAG1&idTag=TAG2"));
        Assert.Equal([_s2], await Ids("transaction_id=2009348715"));
        Assert.Equal([_s1], await Ids($"transaction_id=100&start={At(-600)}&end={At(600)}"));
        Assert.Equal(400, (await _host.Admin.Get("/v2/charging_sessions?transaction_id=abc")).Status);
        Assert.Equal(Set(_s1, _s2), await SortedIds(Window + "&priority=1&priority=5"));
        Assert.Equal([_s4], await Ids(Window + "&priority=3"));
        Assert.Equal([_s2], await Ids(Window + "&status=Charging"));
        var badStatus = await _host.Admin.Get($"/v2/charging_sessions?{Window}&status=Sleeping");
        Assert.Equal(400, badStatus.Status);
        Assert.NotNull(badStatus.FailFor("status"));
        Assert.Empty(await Ids(Window + $"&vehicle={Guid.NewGuid()}"));
        Assert.Empty(await Ids($"vehicle={Guid.NewGuid()}"));
    }

    [Fact]
    public async Task Updated_filters_at_or_after()
    {
        Assert.Equal([_s2], await Ids(Window + $"&updated={At(50)}"));
        Assert.Equal(Set(_s1, _s2, _s4), await SortedIds(Window + $"&updated={At(30)}"));
    }

    [Fact]
    public async Task Search_matches_charger_connector_idTag_transaction_and_id()
    {
        Assert.Equal([_s1], await Ids(Window + "&search=tag1"));
        Assert.Equal(Set(_s1, _s2, _s4), await SortedIds(Window + "&search=ALPHA CHARGER"));
        Assert.Equal([_s2], await Ids(Window + "&search=alpha right"));
        Assert.Equal([_s2], await Ids(Window + "&search=2009348715")); // 10 digits: never by chance inside a UUID
        Assert.Equal([_s4], await Ids(Window + "&search=" + _s4));
    }

    [Fact]
    public async Task Duration_and_energy_buckets()
    {
        Assert.Equal(Set(_s1, _s2), await SortedIds(Window + "&chargingDuration=" + Uri.EscapeDataString(">=1800")));
        Assert.Equal([_s2], await Ids(Window + "&chargingDuration=" + Uri.EscapeDataString(">=1800") + "&energyConsumption=" + Uri.EscapeDataString("<20")));
        Assert.Empty(await Ids(Window + "&chargingDuration=" + Uri.EscapeDataString("<300")));
        Assert.Equal(Set(_s1, _s2), await SortedIds(Window + "&chargingDuration=" + Uri.EscapeDataString("<300") + "&chargingDuration=" + Uri.EscapeDataString(">=1800")));
        Assert.Equal([_s1], await Ids(Window + "&energyConsumption=" + Uri.EscapeDataString(">=40")));
        Assert.Equal(Set(_s2, _s4), await SortedIds(Window + "&energyConsumption=" + Uri.EscapeDataString("<20")));
        var bad = await _host.Admin.Get($"/v2/charging_sessions?{Window}&chargingDuration=" + Uri.EscapeDataString(">=301"));
        Assert.Equal(400, bad.Status);
        Assert.Contains(">=300", bad.FailFor("chargingDuration"));
        Assert.Equal(400, (await _host.Admin.Get($"/v2/charging_sessions?{Window}&energyConsumption=lots")).Status);
    }

    [Fact]
    public async Task Derived_duration_and_energy_values()
    {
        var s1 = (await _host.Admin.Get($"/v2/charging_sessions/{_s1}")).First;
        Assert.Equal(1800, (long)s1["chargingDuration"]!);
        Assert.Equal(50.0, (double)s1["energyConsumption"]!);
        var s2 = (await _host.Admin.Get($"/v2/charging_sessions/{_s2}")).First;
        Assert.Equal(3000, (long)s2["chargingDuration"]!);
    }

    [Fact]
    public async Task Sort_by_the_spec_keys_and_paging_totals()
    {
        Assert.Equal([_s2, _s1, _s4], await Ids(Window + "&sort=chargingDuration:desc"));
        Assert.Equal([_s4, _s1, _s2], await Ids(Window + "&sort=chargingDuration:asc"));
        Assert.Equal(_s1, (await Ids(Window + "&sort=energyConsumption:desc"))[0]);
        Assert.Equal(_s1, (await Ids(Window + "&sort=isActive:asc"))[0]);
        Assert.Equal(_s2, (await Ids(Window + "&sort=connectorId:desc"))[0]);
        Assert.Equal(_s2, (await Ids(Window + "&sort=connectorName:desc"))[0]);
        Assert.Equal([_s1, _s2, _s4], await Ids(Window + "&sort=sessionStart:asc"));
        Assert.Equal([_s2, _s4, _s1], await Ids(Window + "&sort=priority:desc,sessionStart:desc"));
        Assert.Equal(3, (await Ids(Window + "&sort=chargerName:asc,vehicleName:asc,idTag:asc,sessionEnd:desc")).Length);
        var bad = await _host.Admin.Get($"/v2/charging_sessions?{Window}&sort=colour:asc");
        Assert.Equal(400, bad.Status);
        Assert.NotNull(bad.FailFor("sort"));

        var page = await _host.Admin.Get($"/v2/charging_sessions?{Window}&sort=sessionStart:asc&limit=1&offset=1");
        Assert.Equal(3, page.Total);
        Assert.Equal(_s2, (string?)page.First["id"]);
        Assert.Equal(400, (await _host.Admin.Get($"/v2/charging_sessions?{Window}&limit=0")).Status);
    }
}
