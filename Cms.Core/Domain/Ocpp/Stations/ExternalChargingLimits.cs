using Cms.Core.Domain.Planning;
using Cms.Core.Resources;
using Dapper;

namespace Cms.Core.Domain.Ocpp.Stations;

/// <summary>
/// A limit someone else put on a station (a grid operator's or EMS's, reported by OCPP 2.0.1 NotifyChargingLimit): the
/// planner caps the EVSE (evseId 0: the whole station) at it until the station reports it cleared. Amperes are turned
/// into kW with the EVSE's own P = PCF × I × V (the station's first connector for evseId 0).
/// </summary>
public sealed class ExternalChargingLimits(CoreContext core)
{
    public async Task SetAsync(ChargerAdmitted charger, int evseId, string source, double limit, string unit, bool? isGridCritical)
    {
        var connector = await core.Db.ReadAsync(conn => conn.QueryFirstOrDefaultAsync<(string CurrentType, double Voltage)?>(
            "SELECT currentType, voltage FROM connectors WHERE chargePointId = @cp AND (@evseId = 0 OR connectorId = @evseId) ORDER BY connectorId LIMIT 1",
            new { cp = charger.ChargePointId, evseId }));
        var kw = unit == "A"
            ? limit * PlanningSession.PowerConversionFactor(connector?.CurrentType ?? "AC_phase3_LN") * (connector?.Voltage ?? 230) / 1000.0
            : limit / 1000.0;
        // Schema-valid numbers can still be absurd (negative, 1e308): a cap is between 0 and the optimizer's 1e7 kW range.
        kw = double.IsFinite(kw) ? Math.Clamp(kw, 0, 1e7) : 1e7;
        // A limit repeated unchanged (a cable reported with every transaction event) neither writes nor replans.
        var changed = await core.Db.WriteAsync((conn, tx) => conn.ExecuteAsync(
            "INSERT INTO external_charging_limits (chargePointId, evseId, source, limitKw, isGridCritical, updated) VALUES (@cp, @evseId, @source, @kw, @critical, @now) " +
            "ON CONFLICT (chargePointId, evseId, source) DO UPDATE SET limitKw = excluded.limitKw, isGridCritical = excluded.isGridCritical, updated = excluded.updated " +
            "WHERE external_charging_limits.limitKw <> excluded.limitKw OR COALESCE(external_charging_limits.isGridCritical, -1) <> COALESCE(excluded.isGridCritical, -1)",
            new { cp = charger.ChargePointId, evseId, source, kw, critical = isGridCritical is { } c ? (c ? 1 : 0) : (int?)null, now = Iso.Format(core.Clock.GetUtcNow()) }, tx));
        if (changed > 0)
            core.Events.Publish(new NetworkChanged(charger.CustomerId, charger.NetworkId, $"external charging limit {kw:0.###} kW on EVSE {evseId}"));
    }

    /// <summary>The source's limits on that EVSE (none given: on every EVSE of the station) end.</summary>
    public async Task ClearAsync(ChargerAdmitted charger, string source, int? evseId)
    {
        var removed = await core.Db.WriteAsync((conn, tx) => conn.ExecuteAsync(
            "DELETE FROM external_charging_limits WHERE chargePointId = @cp AND source = @source AND (@evseId IS NULL OR evseId = @evseId)",
            new { cp = charger.ChargePointId, source, evseId }, tx));
        if (removed > 0) core.Events.Publish(new NetworkChanged(charger.CustomerId, charger.NetworkId, "external charging limit cleared"));
    }
}
