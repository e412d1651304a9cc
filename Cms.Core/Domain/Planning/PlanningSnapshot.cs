using System.Data.Common;
using Cms.Core.Resources;
using Dapper;

namespace Cms.Core.Domain.Planning;

/// <summary>
/// Everything the optimizer needs about one network at one moment, read in one go from the store:
/// its settings, charge points, connectors without a session, and the open sessions with their limits.
/// </summary>
public sealed record PlanningSnapshot(
    IDictionary<string, object?> Network,
    IReadOnlyList<(string Id, double MaxKw, bool? PowerSplit, int Connectors)> ChargePoints,
    IReadOnlyList<(string ChargePointId, string ConnectorId, int Number, double MaxKw)> IdleConnectors,
    IReadOnlyList<PlanningSession> Sessions)
{
    public string Objective => Network.Str("objective") ?? "load_sharing";

    public static async Task<PlanningSnapshot?> LoadAsync(DbConnection conn, string customerId, string networkId, DateTimeOffset now)
    {
        var network = (IDictionary<string, object?>?)await conn.QueryFirstOrDefaultAsync(
            "SELECT * FROM networks WHERE id = @networkId AND customerId = @customerId", new { networkId, customerId });
        if (network is null) return null;

        var chargePoints = (await conn.QueryAsync<(string Id, double MaxKw, long? PowerSplit, long Connectors)>(
                // A station-wide external limit (OCPP 2.0.1 NotifyChargingLimit on EVSE 0) lowers the charge point's maximum.
                "SELECT cp.id, (SELECT MIN(m.kw) FROM (SELECT cp.maxCapacity AS kw UNION ALL SELECT x.limitKw FROM external_charging_limits x " +
                "WHERE x.chargePointId = cp.id AND x.evseId = 0) m), cp.powerSplit, (SELECT COUNT(*) FROM connectors c WHERE c.chargePointId = cp.id) " +
                "FROM charge_points cp WHERE cp.networkId = @networkId ORDER BY cp.id", new { networkId }))
            .Select(cp => (cp.Id, cp.MaxKw, cp.PowerSplit is null ? (bool?)null : cp.PowerSplit == 1, (int)cp.Connectors)).ToList();

        var idle = (await conn.QueryAsync<(string ChargePointId, string ConnectorId, int Number, double MaxKw)>(
            "SELECT c.chargePointId, c.id, c.connectorId, c.maxCapacity FROM connectors c JOIN charge_points cp ON cp.id = c.chargePointId " +
            "WHERE cp.networkId = @networkId AND NOT EXISTS (SELECT 1 FROM charging_sessions_live s WHERE s.connectorId = c.id) " +
            "ORDER BY c.id", new { networkId })).ToList();

        var rows = await conn.QueryAsync(
            "SELECT s.id, s.chargePointId, s.connectorId, s.connectorNumber, s.transactionId, s.chargingRateUnit, s.priority, " +
            "s.energyToCharge, s.maxChargingPowerOfVehicle, s.maximumChargingTimeDate, s.currentChargingLoad, s.currentChargingLoadAt, s.energyConsumed, " +
            "s.vehicleId, s.idTag, s.sessionStart, c.currentType, c.voltage, c.powerFactor, c.maxCapacity AS connectorMax, cp.maxCapacity AS chargePointMax, " +
            "v.maxChargingPower AS vehicleMax, v.batteryCapacity, v.stateOfCharge, v.targetStateOfCharge, v.departureTime, " +
            "(SELECT MIN(x.limitKw) FROM external_charging_limits x WHERE x.chargePointId = s.chargePointId AND x.evseId IN (0, s.connectorNumber)) AS externalMax " +
            "FROM charging_sessions_live s JOIN connectors c ON c.id = s.connectorId JOIN charge_points cp ON cp.id = s.chargePointId " +
            "LEFT JOIN vehicles v ON v.id = s.vehicleId WHERE s.networkId = @networkId ORDER BY s.id", new { networkId });

        var routes = await RouteNeeds.LoadAsync(conn, networkId, now);
        var sessions = rows.Cast<IDictionary<string, object?>>().Select(r => ToSession(r))
            .Select(s => RouteNeeds.Apply(s, routes.GetValueOrDefault(s.Id))).ToList();
        return new PlanningSnapshot(network, chargePoints, idle, sessions);
    }

    private static PlanningSession ToSession(IDictionary<string, object?> r)
    {
        var maxKw = new[] { r.Double("connectorMax"), r.Double("chargePointMax"), r.Double("vehicleMax"), r.Double("maxChargingPowerOfVehicle"), r.Double("externalMax") }
            .Where(x => x is not null).Min() ?? 0;
        return new PlanningSession(
            r.Str("id")!, r.Str("chargePointId")!, r.Str("connectorId")!, (int)(r.Long("connectorNumber") ?? 0), r.Long("transactionId"),
            r.Str("chargingRateUnit") ?? "kW", r.Str("currentType") ?? "DC", r.Double("voltage") ?? 230, r.Double("powerFactor") ?? 1,
            maxKw, (int)(r.Long("priority") ?? 3), EnergyNeed(r), Departure(r), r.Double("currentChargingLoad"), r.Str("vehicleId") is not null)
        {
            DeliveredKwh = Math.Max(0, r.Double("energyConsumed") ?? 0), IdTag = r.Str("idTag"), VehicleId = r.Str("vehicleId"),
            SessionStart = r.Str("sessionStart") is { } started ? Iso.Parse(started) : null,
            MeasuredAt = r.Str("currentChargingLoadAt") is { } measuredAt ? Iso.Parse(measuredAt) : null,
        };
    }

    /// <summary>energyToCharge minus what was charged; else the vehicle's battery × (target − current SoC); else unlimited.</summary>
    private static double? EnergyNeed(IDictionary<string, object?> r)
    {
        var charged = r.Double("energyConsumed") ?? 0;
        if (r.Double("energyToCharge") is { } wanted) return Math.Max(0, wanted - charged);
        if (r.Double("batteryCapacity") is { } battery && r.Double("targetStateOfCharge") is { } target && r.Double("stateOfCharge") is { } soc)
            return Math.Max(0, battery * (target - soc) / 100.0);
        return null;
    }

    /// <summary>The session's maximumChargingTimeDate, else the vehicle's departureTime.</summary>
    private static DateTimeOffset? Departure(IDictionary<string, object?> r) =>
        (r.Str("maximumChargingTimeDate") ?? r.Str("departureTime")) is { } text ? Iso.Parse(text) : null;
}
