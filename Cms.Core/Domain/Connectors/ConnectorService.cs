using System.Data.Common;
using Cms.Core.Auth;
using Cms.Core.Domain.ChargePoints;
using Cms.Core.Resources;
using Dapper;

namespace Cms.Core.Domain.Connectors;

public sealed class ConnectorService(CoreContext core) : ResourceService(core, ConnectorResource.Spec)
{
    protected override async Task BeforeWriteAsync(DbConnection conn, DbTransaction tx, Caller caller,
        Dictionary<string, object?> values, IDictionary<string, object?>? existing)
    {
        if (values.TryGetValue("chargePointId", out var cp))
            await RequireReferenceAsync(conn, tx, ChargePointResource.Spec, caller.CustomerId, "chargePointId", (string)cp!);

        if (values.ContainsKey("chargePointId") || values.ContainsKey("connectorId"))
        {
            var chargePointId = Merged(values, existing, "chargePointId");
            var number = Merged(values, existing, "connectorId");
            var taken = await conn.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM connectors WHERE chargePointId = @chargePointId AND connectorId = @number AND id <> @self",
                new { chargePointId, number, self = existing?["id"] ?? "" }, tx);
            if (taken > 0)
                throw ApiFailure.Conflict("connectorId", $"charge point already has a connector with connectorId {number}");
        }
    }

    protected override async Task BeforeDeleteAsync(DbConnection conn, DbTransaction tx, Caller caller, IDictionary<string, object?> existing)
    {
        var open = await conn.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM charging_sessions_live WHERE connectorId = @id", new { id = existing["id"] }, tx);
        if (open > 0) throw ApiFailure.Conflict("id", "connector has an active charging session; stop it first");
    }

    protected override void AfterChange(Caller caller, IDictionary<string, object?> row, string what) =>
        Core.Events.Publish(new NetworkChanged(caller.CustomerId, (string)row["networkId"]!, "connector " + what));
}
