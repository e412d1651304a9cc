using Cms.Core.Domain.ChargePoints;
using Cms.Core.Domain.MeterValues;
using Cms.Core.Domain.Networks;
using Cms.Core.Resources;
using Cms.Core.Storage;
using Dapper;
using Cms.Core.Tests.Support;

namespace Cms.Core.Tests.Storage;

/// <summary>
/// What keeps the charger hot path fast as the store grows: the per-row lookups the REST resources and the OCPP
/// handlers make use indexes (a scan grows with every session and every optimization ever stored), and the WAL is
/// checkpointed in the background so it stays bounded although commits do not checkpoint it themselves.
/// </summary>
public sealed class HotPathStorageTests : IAsyncLifetime
{
    private TempDatabase _temp = null!;
    private Database _db = null!;

    public async Task InitializeAsync()
    {
        _temp = await TempDatabase.CreateAsync();
        _db = _temp.Db;
    }

    public async Task DisposeAsync() => await _temp.DisposeAsync();

    public static TheoryData<string> OneRowQueries() => new()
    {
        // A charge point or network with its derived fields, as GET /{id} and the references of every write read it.
        $"{ResourceStore.Select(ChargePointResource.Spec)} WHERE t.id = 'x' AND t.customerId = 'c'",
        $"{ResourceStore.Select(NetworkResource.Spec)} WHERE t.id = 'x' AND t.customerId = 'c'",
        // The open session of a connector and of a transaction, as StartTransaction and MeterValues look them up.
        "SELECT id FROM charging_sessions_live WHERE connectorId = 'x'",
        "SELECT id FROM charging_sessions WHERE customerId = 'c' AND chargePointId = 'x' AND transactionId = 1",
    };

    [Theory]
    [MemberData(nameof(OneRowQueries))]
    public async Task One_row_lookups_never_scan_a_growing_table(string sql)
    {
        var plan = await _db.ReadAsync(async conn => (await conn.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>(
            "EXPLAIN QUERY PLAN " + sql)).Select(r => r.Detail).ToList());

        var scans = plan.Where(d => d.StartsWith("SCAN ", StringComparison.Ordinal)).ToList();
        Assert.True(scans.Count == 0, $"full scans in the plan of {sql}:\n{string.Join("\n", plan)}");
    }

    public static TheoryData<string, string, string> ReadingScopes() => new()
    {
        // GET /v2/meter_values?vehicle=
        { $"{ResourceStore.Select(MeterValueResource.Spec)} WHERE t.customerId = 'c' AND t.vehicleId = 'v' " +
          "AND t.timestamp >= '2030-01-01' AND t.timestamp < '2030-01-02'", "meter_readings_vehicle", "vehicleId" },
        // A session's energy register readings, as its CDR reads them.
        { $"SELECT timestamp, value, unit FROM {TrafficJournal.MeterReadings.ReadView} WHERE chargingSessionId = 's' " +
          "AND measurand = 'Energy.Active.Import.Register'", "meter_readings_session", "chargingSessionId" },
    };

    /// <summary>Migration 073 indexes only readings that have a vehicle, and a session (most charger readings have no
    /// vehicle, an idle connector's no session): a query by one must still reach its index, not scan every reading.</summary>
    [Theory]
    [MemberData(nameof(ReadingScopes))]
    public async Task Readings_are_found_by_vehicle_and_by_session_through_indexes_of_the_readings_that_have_one(string sql, string index, string column)
    {
        var plan = await _db.ReadAsync(async conn => (await conn.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>(
            "EXPLAIN QUERY PLAN " + sql)).Select(r => r.Detail).ToList());
        Assert.Contains(plan, d => d.Contains($"USING INDEX {index} ({column}=?", StringComparison.Ordinal));

        var definition = await _db.ReadAsync(conn => conn.ExecuteScalarAsync<string>(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = @index", new { index }));
        Assert.EndsWith($"WHERE \"{column}\" IS NOT NULL", definition);
    }

    [Fact]
    public async Task Every_connection_has_the_settings_pooled_or_new()
    {
        for (var i = 0; i < 5; i++)
        {
            var settings = await _db.ReadAsync(async conn => (
                await conn.ExecuteScalarAsync<long>("PRAGMA foreign_keys"),
                await conn.ExecuteScalarAsync<long>("PRAGMA synchronous"),
                await conn.ExecuteScalarAsync<long>("PRAGMA busy_timeout"),
                await conn.ExecuteScalarAsync<string>("PRAGMA journal_mode")));
            Assert.Equal((1L, 1L, 5000L, "wal"), settings); // synchronous 1 = NORMAL
        }
    }

    [Fact]
    public async Task The_write_ahead_log_is_checkpointed_in_the_background()
    {
        await _db.WriteAsync((conn, tx) => conn.ExecuteAsync("CREATE TABLE filler (body TEXT)", transaction: tx));
        var body = new string('x', 3000);
        const int commits = 4000; // about 11 KB of WAL each: 45 MB in all
        for (var i = 0; i < commits; i++)
        {
            await _db.WriteAsync((conn, tx) => conn.ExecuteAsync("INSERT INTO filler (body) VALUES (@body)", new { body }, tx));
            if (i % 100 == 99) await Task.Delay(10); // commits come in bursts, as from chargers, not in one endless stream
        }

        // The background checkpoints let the WAL start over from ~16 MB, and make sure of it (under the write lock) by ~32 MB;
        // SQLite's own fallback would only at ~64 MB, so a WAL that never started over would hold all 45 MB.
        var wal = new FileInfo(_db.Path + "-wal");
        Assert.True(wal.Exists);
        Assert.True(wal.Length < 40_000_000, $"WAL is {wal.Length / 1_000_000.0:F1} MB after {commits} commits");
    }
}
