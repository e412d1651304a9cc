using Cms.Core.Storage;
using Dapper;

namespace Cms.Core.Domain.Delivery;

/// <summary>One row of delivery_state: what delivery remembers about a session or a connector reserve.</summary>
public sealed record DeliveryStateRow(string Key, string NetworkId, string? ChargePointId, double? Kw, bool Flagged);

/// <summary>Stores the limits chargers accepted and the flagged sessions, so a restarted host knows what is in force.</summary>
public sealed class DeliveryStateStore(Database db)
{
    public async Task<IReadOnlyList<DeliveryStateRow>> LoadAsync() =>
        (await db.ReadAsync(conn => conn.QueryAsync<(string Key, string NetworkId, string? ChargePointId, double? Kw, long Flagged)>(
            "SELECT \"key\", \"networkId\", \"chargePointId\", \"kw\", \"flagged\" FROM delivery_state")))
        .Select(r => new DeliveryStateRow(r.Key, r.NetworkId, r.ChargePointId, r.Kw, r.Flagged != 0)).ToList();

    /// <summary>The rows of one network.</summary>
    public async Task<IReadOnlyList<DeliveryStateRow>> LoadAsync(string networkId) =>
        (await db.ReadAsync(conn => conn.QueryAsync<(string Key, string NetworkId, string? ChargePointId, double? Kw, long Flagged)>(
            "SELECT \"key\", \"networkId\", \"chargePointId\", \"kw\", \"flagged\" FROM delivery_state WHERE \"networkId\" = @networkId",
            new { networkId })))
        .Select(r => new DeliveryStateRow(r.Key, r.NetworkId, r.ChargePointId, r.Kw, r.Flagged != 0)).ToList();

    /// <summary>Writes these rows in one transaction; a row with neither a limit nor a flag is deleted.</summary>
    public Task SaveAsync(IReadOnlyCollection<DeliveryStateRow> rows) => db.WriteAsync(async (conn, tx) =>
    {
        foreach (var row in rows)
        {
            if (row.Kw is null && !row.Flagged)
                await conn.ExecuteAsync("DELETE FROM delivery_state WHERE \"key\" = @Key", new { row.Key }, tx);
            else
                await conn.ExecuteAsync("INSERT INTO delivery_state (\"key\", \"networkId\", \"chargePointId\", \"kw\", \"flagged\") " +
                    "VALUES (@Key, @NetworkId, @ChargePointId, @Kw, @Flagged) ON CONFLICT (\"key\") DO UPDATE SET " +
                    "\"networkId\" = excluded.\"networkId\", \"chargePointId\" = excluded.\"chargePointId\", \"kw\" = excluded.\"kw\", " +
                    "\"flagged\" = excluded.\"flagged\"", new { row.Key, row.NetworkId, row.ChargePointId, row.Kw, Flagged = row.Flagged ? 1 : 0 }, tx);
        }
    });
}
