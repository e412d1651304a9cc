using Cms.Core.Resources;
using Dapper;

namespace Cms.Core.Domain.StatusHistory;

/// <summary>
/// At start no charger is connected yet: a charger whose last recorded connection event is ONLINE was connected to a
/// process that ended without seeing it go (a crash or a kill). It is marked OFFLINE now, in its state and its history,
/// so uptime does not count the outage as connected and CHARGER_DISCONNECTED is raised until it connects again.
/// Charge points never seen over OCPP (whose onlineStatus an integrator sets) are left alone.
/// </summary>
public sealed class OnlineRecovery(CoreContext core)
{
    public async Task<int> RecoverAsync()
    {
        var now = core.Clock.GetUtcNow();
        var changes = await core.Db.WriteAsync(async (conn, tx) =>
        {
            var stale = await conn.QueryAsync<(string Id, string CustomerId, string NetworkId)>(
                "SELECT cp.id, cp.customerId, cp.\"networkId\" FROM charge_points cp WHERE cp.\"onlineStatus\" = 'ONLINE' AND " +
                "(SELECT h.\"status\" FROM status_history h WHERE h.\"chargePointId\" = cp.id AND h.\"kind\" = 'online' " +
                "ORDER BY h.\"at\" DESC LIMIT 1) = 'ONLINE'", transaction: tx);
            var changes = new List<ChargerStateChanged>();
            foreach (var cp in stale)
            {
                await conn.ExecuteAsync("UPDATE charge_points SET \"onlineStatus\" = 'OFFLINE', \"onlineStatusUpdate\" = @now, updated = @now WHERE id = @id",
                    new { id = cp.Id, now = Iso.Format(now) }, tx);
                var change = new ChargerStateChanged(cp.CustomerId, cp.NetworkId, cp.Id, null, 0, StatusHistoryLog.Online, "OFFLINE", null, now);
                await StatusHistoryLog.AppendAsync(conn, tx, core.Ids.NewId(), change);
                changes.Add(change);
            }
            return changes;
        });
        foreach (var change in changes) core.Events.Publish(change);
        return changes.Count;
    }
}
