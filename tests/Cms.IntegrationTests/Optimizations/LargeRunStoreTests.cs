using Cms.IntegrationTests.Harness;

namespace Cms.IntegrationTests.Optimizations;

/// <summary>
/// A run of more sessions than one write piece (100 rows) is stored in pieces, so a charger's session start never waits
/// for a whole large run: readers still see each run whole, as the network's only active optimizations.
/// </summary>
public sealed class LargeRunStoreTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private const int Sessions = 230; // three pieces: 100, 100, 30

    [Fact]
    public async Task A_run_larger_than_a_write_piece_is_stored_whole_and_replaces_the_last_one()
    {
        var api = fixture.Host.Admin;
        var watch = new OptimizationWatch(fixture.Host);
        var network = (await api.Network(Sessions * 5.0, "large")).Id();
        var cp = (await api.ChargePoint(network, maxCapacity: Sessions * 22.0)).Id();
        for (var i = 1; i <= Sessions; i++) await api.Connector(cp, i, 22, "DC", 400);
        var sessions = new List<string>();
        for (var i = 1; i <= Sessions; i++)
            sessions.Add((await api.Create("/v2/charging_sessions", new { chargePointId = cp, connectorId = i })).Id());

        var full = await watch.WaitAsync(network, r => r.Items.Count == Sessions, seconds: 60);
        await AssertActiveAsync(watch, network, full);

        var before = watch.Count;
        await api.Delete($"/v2/charging_sessions/{sessions[0]}");
        var next = await watch.WaitAsync(network, r => r.Items.Count == Sessions - 1, after: before, seconds: 60);
        await AssertActiveAsync(watch, network, next);
    }

    /// <summary>
    /// The network's active optimizations are exactly one run's, none of its rows left inactive and none of an earlier
    /// run's still active: this run's, or a newer one's (a run can follow when changes arrived during this one).
    /// Read as one page, so a run stored between two pages cannot mix them.
    /// </summary>
    private async Task AssertActiveAsync(OptimizationWatch watch, string network, Cms.Core.Domain.Optimizations.OptimizationsPublished run)
    {
        var page = await fixture.Host.Admin.Get($"/v2/optimizations/?network={network}&limit=1000");
        Assert.Equal(200, page.Status);
        var seen = page.Data.Select(row => ((Newtonsoft.Json.Linq.JObject)row).Id()).ToHashSet();
        Assert.Equal(run.Items.Count, seen.Count);
        if (seen.SetEquals(run.Items.Select(i => i.Id))) return;
        // A newer run's rows: its event is published right after its commit.
        await watch.WaitAsync(network, r => r.Items.Select(i => i.Id).ToHashSet().SetEquals(seen));
    }
}
