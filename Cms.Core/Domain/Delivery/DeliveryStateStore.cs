using Cms.Core.Storage;
using Dapper;

namespace Cms.Core.Domain.Delivery;

/// <summary>
/// One row of delivery_state: what delivery remembers about a session or a connector reserve (its charger, the limit it
/// accepted, whether it is flagged, and how many deliveries in a row it refused).
/// </summary>
public sealed record DeliveryStateRow(string Key, string NetworkId, string? ChargePointId, double? Kw, bool Flagged, int Failures = 0)
{
    /// <summary>Nothing worth keeping: the row is deleted.</summary>
    public bool IsEmpty => Kw is null && !Flagged && Failures == 0;
}

/// <summary>Stores the limits chargers accepted and the flagged sessions, so a restarted host knows what is in force.</summary>
public sealed class DeliveryStateStore(Database db)
{
    public async Task<IReadOnlyList<DeliveryStateRow>> LoadAsync() =>
        (await db.ReadAsync(conn => conn.QueryAsync<(string Key, string NetworkId, string? ChargePointId, double? Kw, long Flagged, long Failures)>(
            "SELECT \"key\", \"networkId\", \"chargePointId\", \"kw\", \"flagged\", \"failures\" FROM delivery_state")))
        .Select(r => new DeliveryStateRow(r.Key, r.NetworkId, r.ChargePointId, r.Kw, r.Flagged != 0, (int)r.Failures)).ToList();

    /// <summary>The rows of one network.</summary>
    public async Task<IReadOnlyList<DeliveryStateRow>> LoadAsync(string networkId) =>
        (await db.ReadAsync(conn => conn.QueryAsync<(string Key, string NetworkId, string? ChargePointId, double? Kw, long Flagged, long Failures)>(
            "SELECT \"key\", \"networkId\", \"chargePointId\", \"kw\", \"flagged\", \"failures\" FROM delivery_state WHERE \"networkId\" = @networkId",
            new { networkId })))
        .Select(r => new DeliveryStateRow(r.Key, r.NetworkId, r.ChargePointId, r.Kw, r.Flagged != 0, (int)r.Failures)).ToList();

    private const string UpsertSql = "INSERT INTO delivery_state (\"key\", \"networkId\", \"chargePointId\", \"kw\", \"flagged\", \"failures\") " +
        "VALUES (@key, @networkId, @chargePointId, @kw, @flagged, @failures) ON CONFLICT (\"key\") DO UPDATE SET " +
        "\"networkId\" = excluded.\"networkId\", \"chargePointId\" = excluded.\"chargePointId\", \"kw\" = excluded.\"kw\", " +
        "\"flagged\" = excluded.\"flagged\", \"failures\" = excluded.\"failures\"";
    private static readonly string[] UpsertColumns = ["key", "networkId", "chargePointId", "kw", "flagged", "failures"];
    private const string DeleteSql = "DELETE FROM delivery_state WHERE \"key\" = @key";
    private static readonly string[] DeleteColumns = ["key"];

    /// <summary>Rows per write transaction: a charger's session start waiting for the write lock waits for one piece.</summary>
    private const int RowsPerWrite = 100;

    /// <summary>
    /// Writes these rows; an empty row (no limit, flag or refusal) is deleted. A run of a large network changes a row per
    /// session: they are written in pieces of <see cref="RowsPerWrite"/> (each row stands alone), with statements prepared
    /// once per piece.
    /// </summary>
    public async Task SaveAsync(IReadOnlyList<DeliveryStateRow> rows)
    {
        for (var offset = 0; offset < rows.Count; offset += RowsPerWrite)
        {
            var piece = rows.Skip(offset).Take(RowsPerWrite).ToList();
            await db.WriteAsync((conn, tx) => WriteAsync(conn, tx, piece), background: true);
        }
    }

    private static async Task WriteAsync(System.Data.Common.DbConnection conn, System.Data.Common.DbTransaction tx, IReadOnlyList<DeliveryStateRow> rows)
    {
        foreach (var row in rows)
        {
            if (row.IsEmpty)
            {
                var delete = conn.Prepared(tx, DeleteSql, DeleteColumns);
                delete.Parameters[0].Value = row.Key;
                await delete.ExecuteNonQueryAsync();
                continue;
            }
            var upsert = conn.Prepared(tx, UpsertSql, UpsertColumns);
            upsert.Parameters[0].Value = row.Key;
            upsert.Parameters[1].Value = row.NetworkId;
            upsert.Parameters[2].Value = (object?)row.ChargePointId ?? DBNull.Value;
            upsert.Parameters[3].Value = row.Kw is { } kw ? kw : DBNull.Value;
            upsert.Parameters[4].Value = row.Flagged ? 1 : 0;
            upsert.Parameters[5].Value = row.Failures;
            await upsert.ExecuteNonQueryAsync();
        }
    }
}
