using Cms.Core.Auth;
using Cms.Core.Domain.Ocpp;
using Cms.Core.Domain.Sessions;
using Cms.Core.Resources;
using Dapper;

namespace Cms.Core.Domain.Proxy;

/// <summary>
/// Proxy mode, the upstream CMS is the master: a transaction AmpCMS opened while the upstream was away, and whose
/// queued start the upstream then refused, is not left open as if accepted. Its session closes with stopReason
/// "DeAuthorized" (the CSMS refused the transaction).
/// </summary>
public sealed class ProxyRefusals(CoreContext core, SessionService sessions)
{
    public const string StopReason = "DeAuthorized";

    /// <summary>Closes the charger's open session of this transaction (1.6 id or 2.0.1 station id); false when none is open.</summary>
    public async Task<bool> CloseRefusedAsync(ChargerAdmitted charger, long? transactionId, string? stationTransactionId)
    {
        // One typed parameter per query: an untyped NULL parameter is ambiguous to PostgreSQL.
        var id = await core.Db.ReadAsync(conn => transactionId is { } numeric
            ? conn.ExecuteScalarAsync<string?>("SELECT id FROM charging_sessions WHERE \"chargePointId\" = @cp AND \"sessionEnd\" IS NULL " +
                "AND \"transactionId\" = @numeric", new { cp = charger.ChargePointId, numeric })
            : conn.ExecuteScalarAsync<string?>("SELECT id FROM charging_sessions WHERE \"chargePointId\" = @cp AND \"sessionEnd\" IS NULL " +
                "AND \"stationTransactionId\" = @station", new { cp = charger.ChargePointId, station = stationTransactionId ?? "" }));
        if (id is null) return false;
        // The reason first, so the session is never seen closed without it.
        await core.Db.WriteAsync((conn, tx) => conn.ExecuteAsync(
            "UPDATE charging_sessions SET \"stopReason\" = @reason WHERE id = @id", new { reason = StopReason, id }, tx));
        await sessions.CloseAsync(new Caller("ocpp:" + charger.OcppId, charger.CustomerId, UserTypes.Service), id,
            new CloseSession(core.Clock.GetUtcNow()));
        return true;
    }
}
