using Cms.Core.Domain.Simulations;
using Cms.IntegrationTests.Harness;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Simulations;

/// <summary>POST /v2/networks/{id}/simulations replays real Caltech ACN sessions through the optimizer over real HTTP.</summary>
public sealed class SimulationTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private static readonly string AcnPath = Environment.GetEnvironmentVariable("ACN_EVENTS") ?? "/work/shared/data/acn/caltech_2019-03_events.json.gz";

    private ApiClient Api => fixture.Host.Admin;

    /// <summary>The first week of Caltech's March 2019 sessions, as ACN-Data items.</summary>
    private static JArray FirstWeek()
    {
        var all = AcnFile.Read(AcnPath);
        var start = all.Min(s => s.ConnectionTime);
        return AcnFile.ToJson(all.Where(s => s.ConnectionTime < start.AddDays(7)));
    }

    [Fact]
    public async Task Replaying_a_week_of_Caltech_sessions_at_20_kW_comes_within_a_percent_of_the_clairvoyant_optimum()
    {
        var network = (await Api.Network(150)).Id();
        var sessions = FirstWeek();
        var response = await Api.Post($"/v2/networks/{network}/simulations", new JObject
        {
            ["source"] = "sessions", ["sessions"] = sessions, ["maxCapacity"] = 20, ["objective"] = "fleet",
            ["prices"] = new JArray(Enumerable.Range(0, 24).Select(h => h is >= 20 or < 2 ? 0.26668 : 0.0925)),
        });
        Assert.True(response.Status == 200, response.ToString());
        var r = response.First;
        Assert.Equal("fleet", (string?)r["objective"]);
        Assert.True((int)r["sessions"]! > 200, r.ToString());
        Assert.Equal(0, (int)r["violations"]!);
        Assert.True((double)r["percentOfOptimum"]! >= 99.0, r.ToString());
        Assert.True((double)r["energyDeliveredKwh"]! <= (double)r["optimumEnergyKwh"]! + 1e-6);
        Assert.True((double)r["cost"]! > 0);
        var curve = (JArray)r["loadCurve"]!;
        Assert.Equal((int)r["periods"]!, curve.Count);
        // Never above the what-if capacity after the network's 2 % buffer, and the peak is the curve's top.
        Assert.All(curve, p => Assert.True((double)p["kw"]! <= 20 * 0.98 + 1e-6, p.ToString()));
        Assert.Equal(curve.Max(p => (double)p["kw"]!), (double)r["peakKw"]!, 3);

        // The same week with load sharing at a smaller grid connection: the answer to "what if it were 10 kW?".
        var smaller = (await Api.Post($"/v2/networks/{network}/simulations", new JObject
        {
            ["sessions"] = sessions, ["maxCapacity"] = 10, ["objective"] = "load_sharing", ["includeLoadCurve"] = false,
        })).First;
        Assert.Null(smaller["loadCurve"]);
        Assert.True((double)smaller["energyDeliveredKwh"]! < (double)r["energyDeliveredKwh"]!);
        Assert.True((double)smaller["peakKw"]! <= 10 * 0.98 + 1e-6);

        // Room to spare (70 kW) and peak minimisation: the same energy as the clairvoyant plan at a lower peak than 70 kW.
        var shaved = (await Api.Post($"/v2/networks/{network}/simulations", new JObject
        {
            ["sessions"] = sessions, ["maxCapacity"] = 70, ["objective"] = "fleet", ["minimizePeak"] = true, ["includeLoadCurve"] = false,
        })).First;
        Assert.True((double)shaved["percentOfOptimum"]! >= 99.9, shaved.ToString());
        Assert.True((double)shaved["peakKw"]! < 0.8 * 70 * 0.98, shaved.ToString());
    }

    [Fact]
    public async Task Bad_fields_are_named_and_another_customers_network_is_not_found()
    {
        var network = (await Api.Network(30)).Id();
        var bad = await Api.Post($"/v2/networks/{network}/simulations", new
        {
            source = "sessions", maxCapacity = -5, objective = "cheapest", prices = new[] { 0.1, 0.2 }, colour = "red",
            sessions = new object[] { new { stationID = "A", connectionTime = "yesterday", disconnectTime = "2019-03-01T10:00:00Z", kWhDelivered = 3 } },
        });
        Assert.Equal(400, bad.Status);
        Assert.NotNull(bad.FailFor("maxCapacity"));
        Assert.NotNull(bad.FailFor("objective"));
        Assert.NotNull(bad.FailFor("prices"));
        Assert.NotNull(bad.FailFor("colour"));
        Assert.NotNull(bad.FailFor("sessions[0].connectionTime"));

        // A network without any closed session has nothing to replay from the store: the window is named.
        var empty = await Api.Post($"/v2/networks/{network}/simulations", new { source = "store", maxCapacity = 10 });
        Assert.Equal(400, empty.Status);
        Assert.NotNull(empty.FailFor("from"));

        using var other = await SecondCustomer.CreateAsync(fixture.Host, "sim-other");
        var missing = await other.Post($"/v2/networks/{network}/simulations", new { maxCapacity = 10 });
        Assert.Equal(404, missing.Status);
    }
}
