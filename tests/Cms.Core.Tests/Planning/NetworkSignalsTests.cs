using Cms.Core.Domain.Planning;
using Cms.Core.Resources;
using Cms.Core.Storage;
using Dapper;
using Cms.Core.Tests.Support;

namespace Cms.Core.Tests.Planning;

/// <summary>NetworkSignals against a real migrated SQLite file, with a small hand-computed series of 15-minute periods.</summary>
public sealed class NetworkSignalsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Q = TimeSpan.FromMinutes(15);
    private const string Customer = "11111111-1111-1111-1111-111111111111";
    private const string OtherCustomer = "22222222-2222-2222-2222-222222222222";
    private TempDatabase _temp = null!;
    private Database _db = null!;

    public async Task InitializeAsync()
    {
        _temp = await TempDatabase.CreateAsync();
        _db = _temp.Db;
        await Exec("INSERT INTO customers (id, created, updated, name, shortName) VALUES (@id, 'x', 'x', 'c', @id)", new { id = Customer });
        await Exec("INSERT INTO customers (id, created, updated, name, shortName) VALUES (@id, 'x', 'x', 'o', @id)", new { id = OtherCustomer });
    }

    public async Task DisposeAsync() => await _temp.DisposeAsync();

    private async Task Exec(string sql, object args) => await _db.WriteAsync(async (c, tx) => { await c.ExecuteAsync(sql, args, tx); });

    private static string At(double minutes) => Iso.Format(T0.AddMinutes(minutes));

    private async Task<string> Network(double maxCapacity, double? defaultEnergyPrice = null, bool baseload = false,
        double? baseloadPeak = null, bool solar = false, bool priceConstraints = false, string customer = Customer)
    {
        var id = Guid.NewGuid().ToString();
        await Exec(
            "INSERT INTO networks (id, customerId, created, updated, maxCapacity, name, objective, timeZone, maxCapacityBuffer, " +
            "optimizeWithMeterValue, solarActive, closeIdleSessions, defaultEnergyPrice, connectorMinimumLoad, startSessionsWithMeterValues, " +
            "eventLogging, enableAnalytics, baseloadActive, baseloadPeak, connectorReservedPowerSplit, priceConstraintsActive) VALUES " +
            "(@id, @customer, 'x', 'x', @maxCapacity, 'n', 'load_sharing', 'UTC', 0.02, 1, @solar, 1, @defaultEnergyPrice, 1, 1, 1, 0, " +
            "@baseload, @baseloadPeak, 1, @priceConstraints)",
            new { id, customer, maxCapacity, defaultEnergyPrice, baseload, baseloadPeak, solar, priceConstraints });
        return id;
    }

    private Task Interval(string table, string network, double start, double end, string valueColumn, double value,
        string stamp, string? type = null) =>
        Exec($"INSERT INTO {table} (id, customerId, created, updated, networkId, \"start\", \"end\", \"{valueColumn}\"" +
             (table == "capacities" || table == "dr_events" ? ", \"type\"" : "") + ") VALUES (@id, @Customer, @stamp, @stamp, @network, @s, @e, @value" +
             (table == "capacities" || table == "dr_events" ? ", @type" : "") + ")",
            new { id = Guid.NewGuid().ToString(), Customer, stamp, network, s = At(start), e = At(end), value, type });

    private Task Sample(string table, string network, double at, double value) =>
        Exec($"INSERT INTO {table} (id, customerId, created, updated, networkId, \"timestamp\", \"value\") VALUES (@id, @Customer, 'x', 'x', @network, @t, @value)",
            new { id = Guid.NewGuid().ToString(), Customer, network, t = At(at), value });

    private async Task<NetworkSignals> Load(string network, int periods = 8, string customer = Customer)
    {
        await using var conn = await _db.OpenAsync();
        return await NetworkSignals.LoadAsync(conn, customer, network, T0, periods, Q);
    }

    private static void Close(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-9, $"period {i}: expected {expected[i]}, got {actual[i]}");
    }

    [Fact]
    public async Task Capacities_override_max_capacity_newest_updated_wins_and_partial_cover_keeps_the_lowest()
    {
        var n = await Network(100);
        await Interval("capacities", n, 0, 60, "maxCapacity", 150, "2029-12-01T00:00:00.000000+00:00", "utilityLimit");
        await Interval("capacities", n, 30, 45, "maxCapacity", 120, "2029-12-02T00:00:00.000000+00:00", "utilityLimit");
        await Interval("capacities", n, 75, 82.5, "maxCapacity", 200, "2029-12-03T00:00:00.000000+00:00", "utilityLimit");
        var s = await Load(n);
        Close([150, 150, 120, 150, 100, 100, 100, 100], s.CapacityKw);
        Close([150, 150, 120, 150, 100, 100, 100, 100], s.GridLimitKw);
        Assert.Equal(100, s.NetworkMaxCapacityKw);
        Assert.Equal(0.02, s.MaxCapacityBuffer);
    }

    [Fact]
    public async Task Load_amount_dr_lowers_the_grid_limit_and_v2g_gives_export()
    {
        var n = await Network(100);
        await Interval("capacities", n, 0, 60, "maxCapacity", 150, "2029-12-01T00:00:00.000000+00:00", "utilityLimit");
        await Interval("dr_events", n, 15, 45, "value", 40, "2029-12-01T00:00:00.000000+00:00", "Load Amount");
        await Interval("dr_events", n, 30, 60, "value", 10, "2029-12-02T00:00:00.000000+00:00", "Load Amount");
        await Interval("dr_events", n, 97.5, 105, "value", 130, "2029-12-02T00:00:00.000000+00:00", "Load Amount");
        await Interval("dr_events", n, 60, 67.5, "value", 20, "2029-12-02T00:00:00.000000+00:00", "V2G");
        var s = await Load(n);
        Close([0, 40, 10, 10, 0, 0, 130, 0], s.DrLoadReductionKw);
        // Period 6 is half covered by a 130 kW reduction on 100 kW: the whole period gets the lowest limit, 0.
        Close([150, 110, 140, 140, 100, 100, 0, 100], s.GridLimitKw);
        Close([0, 0, 0, 0, 10, 0, 0, 0], s.V2gExportKw);
    }

    [Fact]
    public async Task Prices_newest_created_wins_default_fills_gaps_and_constraints_apply_at_their_price_level()
    {
        var n = await Network(100, defaultEnergyPrice: 0.2, priceConstraints: true);
        await Interval("prices", n, 0, 30, "price", 0.30, "2029-12-01T00:00:00.000000+00:00");
        await Interval("prices", n, 15, 30, "price", 0.50, "2029-12-02T00:00:00.000000+00:00");
        await Interval("prices", n, 60, 67.5, "price", 0.40, "2029-12-02T00:00:00.000000+00:00");
        await Exec("INSERT INTO price_constraints (id, customerId, created, updated, networkId, energyPrice, maxCapacityRatio) VALUES " +
                   "(@a, @Customer, 'x', 'x', @n, 0.25, 0.5), (@b, @Customer, 'x', 'x', @n, 0.45, 0.2)",
            new { a = Guid.NewGuid().ToString(), b = Guid.NewGuid().ToString(), Customer, n });
        var s = await Load(n, periods: 5);
        Close([0.30, 0.50, 0.2, 0.2, 0.3], s.Price.Select(p => p!.Value).ToArray());
        Assert.True(s.PriceConstraintsActive);
        Assert.Equal(new[] { new PriceConstraint(0.25, 0.5), new PriceConstraint(0.45, 0.2) }, s.PriceConstraints);
        Close([0.5, 0.2, 1, 1, 0.5], s.PriceCapacityRatio);
    }

    [Fact]
    public async Task Baseload_and_solar_count_only_when_active_and_measurements_hold_at_most_15_minutes()
    {
        var n = await Network(100, baseload: true, baseloadPeak: 30, solar: true);
        await Sample("baseloads", n, 0, 10);
        await Sample("baseloads", n, 5, 20);
        await Sample("solar_meterings", n, 0, 6);
        var s = await Load(n, periods: 3);
        // 10 kW for 5 min, 20 kW for 10 min; then 20 kW for 5 more minutes, the peak (30) where nothing was measured.
        Close([250.0 / 15, 400.0 / 15, 30], s.BaseloadKw);
        Close([6, 0, 0], s.SolarKw);

        var inactive = await Network(100, baseloadPeak: 30);
        await Sample("baseloads", inactive, 0, 10);
        await Sample("solar_meterings", inactive, 0, 6);
        var off = await Load(inactive, periods: 3);
        Assert.False(off.BaseloadActive);
        Assert.False(off.SolarActive);
        Close([0, 0, 0], off.BaseloadKw);
        Close([0, 0, 0], off.SolarKw);
    }

    [Fact]
    public async Task Without_peak_the_latest_baseload_measurement_persists()
    {
        var n = await Network(100, baseload: true);
        await Sample("baseloads", n, -120, 12);
        var s = await Load(n, periods: 2);
        Close([12, 12], s.BaseloadKw);
    }

    [Fact]
    public async Task Nothing_configured_means_max_capacity_no_price_and_no_constraints()
    {
        var n = await Network(40);
        await Exec("INSERT INTO price_constraints (id, customerId, created, updated, networkId, energyPrice, maxCapacityRatio) VALUES (@a, @Customer, 'x', 'x', @n, 0, 0.5)",
            new { a = Guid.NewGuid().ToString(), Customer, n });
        var s = await Load(n, periods: 2);
        Close([40, 40], s.GridLimitKw);
        Assert.All(s.Price, p => Assert.Null(p));
        Assert.False(s.PriceConstraintsActive);
        Assert.Empty(s.PriceConstraints);
        Close([1, 1], s.PriceCapacityRatio);
        Close([0, 0], s.V2gExportKw);
    }

    [Fact]
    public async Task Another_customers_network_is_not_found()
    {
        var n = await Network(40, customer: OtherCustomer);
        var failure = await Assert.ThrowsAsync<ApiFailure>(() => Load(n));
        Assert.Equal(404, failure.Status);
    }

    [Fact]
    public void Step_series_resolves_overlaps_by_rank_and_averages_over_time()
    {
        var series = StepSeries.FromIntervals(
        [
            new RankedInterval(T0, T0.AddMinutes(30), 1, "a"),
            new RankedInterval(T0.AddMinutes(10), T0.AddMinutes(20), 5, "b"),
            new RankedInterval(T0.AddMinutes(5), T0.AddMinutes(25), 3, "0"),
        ]);
        Assert.Equal(1, series.ValueAt(T0.AddMinutes(7)));
        Assert.Equal(5, series.ValueAt(T0.AddMinutes(10)));
        Assert.Null(series.ValueAt(T0.AddMinutes(30)));
        Assert.Equal((1 * 10 + 5 * 10 + 1 * 10 + 7 * 10) / 40.0, series.Average(T0, T0.AddMinutes(40), 7));
        Assert.Null(series.Average(T0.AddMinutes(30), T0.AddMinutes(40), null));
    }
}
