using Cms.Core.Domain.MeterValues;
using Cms.Core.Tests.Support;
using Dapper;

namespace Cms.Core.Tests.MeterValues;

/// <summary>A flush of acknowledged readings is committed in parts of whole charge points, one group-commit item after the
/// other, so a write queued behind the flush waits for one part, not for all of it.</summary>
public sealed class DeferredReadingsPartsTests
{
    private const string Customer = "customer-parts";

    [Fact]
    public async Task A_write_queued_behind_a_flush_runs_after_its_first_part_and_the_flush_still_commits_every_reading()
    {
        await using var temp = await TempDatabase.CreateAsync();
        var db = temp.Db;
        await using var deferred = await DeferredReadingsOfAsync(db);
        // 30 chargers, 100 rows each, acknowledged in an order that is not the charge points': 3,000 rows, 3 parts.
        var chargePoints = Enumerable.Range(0, 30).Select(i => $"cp-{(i * 7) % 30:D2}").ToList();
        foreach (var chargePoint in chargePoints)
            deferred.Acknowledge(Reading(chargePoint, rows: 100));

        // The writer is held while the flush's first part and the probe queue up behind it.
        using var hold = new SemaphoreSlim(0);
        var holding = db.GroupWriteUnorderedAsync((_, _) => { hold.Wait(); return Task.FromResult(0); });
        var flush = deferred.FlushAsync();
        var probe = db.GroupWriteUnorderedAsync(async (conn, tx) =>
            (await conn.QueryAsync<string>("SELECT DISTINCT \"chargePointId\" FROM meter_readings", transaction: tx)).Order(StringComparer.Ordinal).ToList());
        hold.Release();
        await holding;
        var seenByProbe = await probe;
        await flush;

        // The probe ran between the parts: it saw the first part (the first 10 charge points in order), not the rest.
        Assert.Equal(chargePoints.Order(StringComparer.Ordinal).Take(10), seenByProbe);
        var stored = await db.ReadAsync(conn => conn.QueryAsync<(string ChargePointId, long Rows)>(
            "SELECT \"chargePointId\", COUNT(*) FROM meter_readings GROUP BY \"chargePointId\""));
        Assert.Equal(30, stored.Count());
        Assert.All(stored, s => Assert.Equal(100, s.Rows));
        Assert.False(deferred.Pending);
    }

    [Fact]
    public async Task A_part_that_fails_goes_back_with_the_rest_and_the_next_flush_commits_it_while_the_parts_before_stay()
    {
        await using var temp = await TempDatabase.CreateAsync();
        var db = temp.Db;
        await using var deferred = await DeferredReadingsOfAsync(db);
        // The last charger's customer does not exist yet: the third part breaks its foreign key.
        for (var i = 0; i < 30; i++) deferred.Acknowledge(Reading($"cp-{i:D2}", rows: 100, customer: i == 29 ? "customer-late" : Customer));
        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(deferred.FlushAsync);
        Assert.Equal(20, await ChargePointsStoredAsync(db)); // the first two parts
        Assert.True(deferred.Pending);

        await db.GroupWriteUnorderedAsync((conn, tx) => conn.ExecuteAsync(
            "INSERT INTO customers (id, created, updated, name, shortName) VALUES ('customer-late', 'x', 'x', 'l', 'customer-late')", transaction: tx));
        await deferred.FlushAsync();
        Assert.Equal(30, await ChargePointsStoredAsync(db));
        Assert.Equal(3_000, await db.ReadAsync(conn => conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM meter_readings")));
        Assert.False(deferred.Pending);
    }

    /// <summary>The store's deferred readings, its customer created first (readings reference it).</summary>
    private static async Task<DeferredReadings> DeferredReadingsOfAsync(Cms.Core.Storage.Database db)
    {
        await db.WriteAsync((conn, tx) => conn.ExecuteAsync(
            "INSERT INTO customers (id, created, updated, name, shortName) VALUES (@id, 'x', 'x', 'c', @id)", new { id = Customer }, tx));
        return DeferredReadings.For(db) ?? throw new InvalidOperationException("no ack log on this store");
    }

    private static Task<long> ChargePointsStoredAsync(Cms.Core.Storage.Database db) => db.GroupWriteUnorderedAsync((conn, tx) =>
        conn.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT \"chargePointId\") FROM meter_readings", transaction: tx));

    private static DeferredReading Reading(string chargePoint, int rows, string customer = Customer)
    {
        var at = DateTimeOffset.UtcNow;
        var readingRows = Enumerable.Range(0, rows)
            .Select(i => new ReadingRow($"{chargePoint}-{i:D4}-00", Cms.Core.Resources.Iso.Format(at.AddSeconds(i)), """[["Power.Active.Import",null,"W",null,null,null,7000.0]]"""))
            .ToList();
        return new DeferredReading(customer, chargePoint, 1, $"{chargePoint}-connector", "network-parts", null, null, null,
            Cms.Core.Resources.Iso.Format(at), readingRows, new SessionChange(null, null, null, null));
    }
}
