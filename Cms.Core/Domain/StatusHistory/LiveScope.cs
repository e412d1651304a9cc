using System.Data.Common;
using Cms.Core.Resources;
using Dapper;

namespace Cms.Core.Domain.StatusHistory;

/// <summary>
/// The charge points or connectors a KPI or profile query covers (network, chargepoint, connector filters together), always
/// within the caller's customer. A given id that is not the caller's answers 404, never someone else's data.
/// </summary>
public static class LiveScope
{
    public static async Task RequireAsync(DbConnection conn, string customerId, string param, string table, string? id)
    {
        if (id is null) return;
        var found = await conn.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table} WHERE id = @id AND customerId = @customerId", new { id, customerId });
        if (found == 0) throw new ApiFailure(404, param, $"{param} {id} not found");
    }

    public static async Task<List<Measured>> ChargePointsAsync(DbConnection conn, string customerId, string? network, string? chargepoint)
    {
        await RequireAsync(conn, customerId, "network", "networks", network);
        await RequireAsync(conn, customerId, "chargepoint", "charge_points", chargepoint);
        var rows = await conn.QueryAsync<(string Id, string NetworkId, string Created)>(
            "SELECT id, \"networkId\", created FROM charge_points WHERE customerId = @customerId " +
            "AND (@network IS NULL OR \"networkId\" = @network) AND (@chargepoint IS NULL OR id = @chargepoint) ORDER BY created, id",
            new { customerId, network, chargepoint });
        return rows.Select(r => new Measured(r.Id, r.Id, r.NetworkId, Iso.Parse(r.Created), null)).ToList();
    }

    public static async Task<List<Measured>> ConnectorsAsync(DbConnection conn, string customerId, string? network, string? chargepoint, string? connector)
    {
        await RequireAsync(conn, customerId, "network", "networks", network);
        await RequireAsync(conn, customerId, "chargepoint", "charge_points", chargepoint);
        await RequireAsync(conn, customerId, "connector", "connectors", connector);
        var rows = await conn.QueryAsync<(string Id, string ChargePointId, string NetworkId, string Created)>(
            "SELECT c.id, c.\"chargePointId\", cp.\"networkId\", c.created FROM connectors c JOIN charge_points cp ON cp.id = c.\"chargePointId\" " +
            "WHERE c.customerId = @customerId AND (@network IS NULL OR cp.\"networkId\" = @network) " +
            "AND (@chargepoint IS NULL OR c.\"chargePointId\" = @chargepoint) AND (@connector IS NULL OR c.id = @connector) " +
            "ORDER BY cp.created, c.\"connectorId\", c.id",
            new { customerId, network, chargepoint, connector });
        return rows.Select(r => new Measured(r.Id, r.ChargePointId, r.NetworkId, Iso.Parse(r.Created), r.Id)).ToList();
    }
}
