using System.Data.Common;
using Cms.Core.Resources;
using Dapper;

namespace Cms.Core.Domain.Sessions;

/// <summary>A connector named the way chargers and the spec name it: by UUID, or by its number on a charge point.</summary>
public sealed record ConnectorRef(string? Id, long Number)
{
    /// <summary>
    /// Finds the connector <paramref name="text"/> (UUID or number) on the charge point, in the caller's customer.
    /// Number 0 is the charge point's main meter and resolves to no connector when <paramref name="allowMainMeter"/>.
    /// </summary>
    public static async Task<ConnectorRef> ResolveAsync(DbConnection conn, DbTransaction tx, string customerId,
        string chargePointId, string text, bool allowMainMeter = false, string field = "connectorId")
    {
        if (Guid.TryParse(text, out var g))
        {
            var row = await conn.QueryFirstOrDefaultAsync<(string ChargePointId, long Number)?>(
                "SELECT chargePointId, connectorId FROM connectors WHERE id = @id AND customerId = @customerId",
                new { id = g.ToString(), customerId }, tx)
                ?? throw ApiFailure.Invalid(field, $"connector {g} does not exist");
            if (row.ChargePointId != chargePointId)
                throw ApiFailure.Invalid(field, $"connector {g} belongs to another charge point than {chargePointId}");
            return new ConnectorRef(g.ToString(), row.Number);
        }
        if (!long.TryParse(text, out var number) || number < 0 || (number == 0 && !allowMainMeter))
            throw ApiFailure.Invalid(field, allowMainMeter
                ? "must be a connector UUID or a connector number (integer >= 0)"
                : "must be a connector UUID or a connector number (integer >= 1)");
        if (number == 0) return new ConnectorRef(null, 0);
        var id = await conn.QueryFirstOrDefaultAsync<string>(
            "SELECT id FROM connectors WHERE chargePointId = @chargePointId AND connectorId = @number AND customerId = @customerId",
            new { chargePointId, number, customerId }, tx)
            ?? throw ApiFailure.Invalid(field, $"charge point {chargePointId} has no connector with connectorId {number}");
        return new ConnectorRef(id, number);
    }
}
