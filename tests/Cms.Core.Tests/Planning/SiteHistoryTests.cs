using Cms.Core.Domain.Planning;
using Cms.Core.Resources;
using Cms.Core.Storage;
using Cms.Core.Tests.Support;
using Dapper;

namespace Cms.Core.Tests.Planning;

/// <summary>
/// What the planner learns from a site's closed sessions, against a real migrated SQLite file: the peak hint of the
/// lowest-peak plan (<see cref="PeakHints"/>) and the defaults for unknown needs (<see cref="SessionDefaults"/>).
/// </summary>
public sealed class SiteHistoryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2030, 1, 8, 0, 0, 0, TimeSpan.Zero);
    private const string Customer = "11111111-1111-1111-1111-111111111111";
    private TempDatabase _temp = null!;
    private Database _db = null!;
    private string _network = null!;

    public async Task InitializeAsync()
    {
        _temp = await TempDatabase.CreateAsync();
        _db = _temp.Db;
        _network = Guid.NewGuid().ToString();
        await Exec("INSERT INTO customers (id, created, updated, name, shortName) VALUES (@id, 'x', 'x', 'c', @id)", new { id = Customer });
        await Exec(
            "INSERT INTO networks (id, customerId, created, updated, maxCapacity, name, objective, timeZone, maxCapacityBuffer, " +
            "optimizeWithMeterValue, solarActive, closeIdleSessions, connectorMinimumLoad, startSessionsWithMeterValues, " +
            "eventLogging, enableAnalytics, baseloadActive, connectorReservedPowerSplit, priceConstraintsActive) VALUES " +
            "(@id, @Customer, 'x', 'x', 100, 'n', 'fleet', 'UTC', 0, 1, 0, 1, 1, 1, 1, 0, 0, 1, 0)",
            new { id = _network, Customer });
        foreach (var cp in new[] { "cp1", "cp2" })
        {
            await Exec("INSERT INTO charge_points (id, customerId, created, updated, maxCapacity, networkId) VALUES (@cp, @Customer, 'x', 'x', 22, @n)",
                new { cp, Customer, n = _network });
            await Exec("INSERT INTO connectors (id, customerId, created, updated, chargePointId, connectorId, currentType, voltage, maxCapacity, powerFactor) " +
                       "VALUES (@id, @Customer, 'x', 'x', @cp, 1, 'AC', 230, 22, 1)", new { id = cp + "-1", Customer, cp });
        }
    }

    public async Task DisposeAsync() => await _temp.DisposeAsync();

    private async Task Exec(string sql, object args) => await _db.WriteAsync(async (c, tx) => { await c.ExecuteAsync(sql, args, tx); });

    /// <summary>A closed session on cp, plugged in for <paramref name="hours"/> from <paramref name="start"/>.</summary>
    private Task Closed(string cp, DateTimeOffset start, double hours, double kwh, string? idTag = null) =>
        Exec("INSERT INTO charging_sessions (id, customerId, created, updated, chargePointId, connectorId, connectorNumber, networkId, " +
             "chargingRateUnit, idTag, sessionStart, sessionEnd, energyConsumed) VALUES (@id, @Customer, 'x', 'x', @cp, @connector, 1, @n, 'W', " +
             "@idTag, @s, @e, @kwh)",
            new { id = Guid.NewGuid().ToString(), Customer, cp, connector = cp + "-1", n = _network, idTag, s = Iso.Format(start),
                  e = Iso.Format(start.AddHours(hours)), kwh });

    private async Task<(double Hint, bool HasHistory, int Defaults)> Learn()
    {
        await using var conn = await _db.OpenAsync();
        var snapshot = (await PlanningSnapshot.LoadAsync(conn, Customer, _network, Now))!;
        var hint = await new PeakHints().HintKwAsync(conn, Customer, _network, snapshot, Now);
        var open = new PlanningSession("open", "cp1", "cp1-1", 1, null, "W", "AC_phase1", 230, 1, 22, 3, null, null, null, false);
        var (_, used, hasHistory) = await new SessionDefaults().FillAsync(conn, Customer, _network, snapshot with { Sessions = [open] }, Now);
        return (hint, hasHistory, used.Count);
    }

    [Fact]
    public async Task Without_closed_sessions_there_is_no_hint_and_no_history()
    {
        var (hint, hasHistory, defaults) = await Learn();
        Assert.Equal(0, hint);
        Assert.False(hasHistory);
        Assert.Equal(0, defaults);
    }

    [Fact]
    public async Task The_peak_hint_is_the_median_of_the_past_days_lowest_peaks()
    {
        // Each day at 08:00 a car on cp2 stays one hour, one on cp1 two. Lowest flat import peaks: 10 kW (10 + 10 kWh),
        // 20 kW (20 + 20 kWh: cp1 charges in the second hour), 25 kW (20 + 30 kWh: cp1 takes 5 kWh in the first hour).
        foreach (var (daysAgo, kwh) in new[] { (1, 10.0), (2, 20.0), (3, 30.0) })
        {
            var at = Now.AddDays(-daysAgo).AddHours(8);
            await Closed("cp2", at, 1, Math.Min(kwh, 20));
            await Closed("cp1", at, 2, kwh);
        }
        var (hint, _, _) = await Learn();
        // The median of 10, 20 and 25 kW, to the bisection's 0.5 %.
        Assert.InRange(hint, 19.9, 20 * 1.005 + 0.1);
    }

    [Fact]
    public async Task Five_closed_sessions_make_a_usable_history_and_an_open_session_gets_its_defaults()
    {
        for (var k = 0; k < 5; k++) await Closed("cp1", Now.AddDays(-1).AddHours(k * 3), 2, 6 + k);
        var (_, hasHistory, defaults) = await Learn();
        Assert.True(hasHistory);
        Assert.Equal(1, defaults);
    }
}
