using Cms.Core.Resources;
using Dapper;

namespace Cms.Core.Domain.Ocpp.Stations;

/// <summary>
/// Status per EVSE and connector (OCPP 2.0.1). AmpCMS's connector is the EVSE: only one of an EVSE's connectors can be
/// used at a time, and the station reports the others Unavailable meanwhile. So the EVSE's status is its busiest
/// connector's, and Occupied becomes what the open transaction last said (Charging, SuspendedEV…), else Preparing.
/// </summary>
public sealed class EvseStatus(CoreContext core, ChargerStatus status)
{
    private static readonly string[] Precedence = ["Occupied", "Reserved", "Available", "Faulted", "Unavailable"];

    public async Task ChangedAsync(ChargerAdmitted charger, int evseId, int connectorId, string connectorStatus, DateTimeOffset at)
    {
        if (evseId == 0)
        {
            await status.StatusChangedAsync(charger, 0, connectorStatus, null, at);
            return;
        }
        var (statuses, chargingState) = await core.Db.WriteAsync(async (conn, tx) =>
        {
            await conn.ExecuteAsync(
                "INSERT INTO evse_connectors (chargePointId, evseId, connectorId, status, timestamp) VALUES (@cp, @evseId, @connectorId, @connectorStatus, @at) " +
                "ON CONFLICT (chargePointId, evseId, connectorId) DO UPDATE SET status = excluded.status, timestamp = excluded.timestamp " +
                "WHERE excluded.timestamp >= evse_connectors.timestamp",
                new { cp = charger.ChargePointId, evseId, connectorId, connectorStatus, at = Iso.Format(at) }, tx);
            var all = (await conn.QueryAsync<string>("SELECT status FROM evse_connectors WHERE chargePointId = @cp AND evseId = @evseId",
                new { cp = charger.ChargePointId, evseId }, tx)).ToList();
            var state = await conn.ExecuteScalarAsync<string?>(
                "SELECT chargingState FROM charging_sessions_live WHERE chargePointId = @cp AND connectorNumber = @evseId",
                new { cp = charger.ChargePointId, evseId }, tx);
            return (all, state);
        });
        var evse = Rollup(statuses);
        var coreStatus = evse == "Occupied" ? StationTransactions.ConnectorStatusOf(chargingState ?? "Idle") : evse;
        await status.StatusChangedAsync(charger, evseId, coreStatus, null, at);
    }

    /// <summary>The EVSE's status from its connectors': the first of Occupied, Reserved, Available, Faulted, Unavailable present.</summary>
    public static string Rollup(IReadOnlyCollection<string> connectorStatuses) =>
        Precedence.FirstOrDefault(connectorStatuses.Contains) ?? "Unavailable";
}
