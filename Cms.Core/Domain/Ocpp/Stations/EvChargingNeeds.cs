using Cms.Core.Auth;
using Cms.Core.Domain.Planning;
using Cms.Core.Domain.Vehicles;
using Cms.Core.Resources;
using Dapper;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Ocpp.Stations;

/// <summary>
/// What the car says it needs (ISO 15118 through OCPP 2.0.1 NotifyEVChargingNeeds), protocol-neutral. Amperes without
/// a power are turned into kW with the connector's own P = PCF × I × V.
/// </summary>
public sealed record EvNeeds(DateTimeOffset? Departure, double? EnergyWh, double? MaxPowerW, double? MaxCurrentA, double? SoC);

/// <summary>
/// The car's needs become its session's departure (maximumChargingTimeDate), energy demand (energyToCharge = what
/// was charged so far + what the car still asks for) and power limit (maxChargingPowerOfVehicle), which the fleet
/// optimizer plans with; its SoC goes to the linked vehicle, else to startSoC. Then the network is replanned, so a
/// schedule follows.
/// </summary>
public sealed class EvChargingNeeds(CoreContext core, TelematicsService telematics)
{
    /// <returns>False when the EVSE has no open session to attach the needs to.</returns>
    public async Task<bool> UpdateAsync(ChargerAdmitted charger, int evseId, EvNeeds needs)
    {
        var session = await core.Db.ReadAsync(conn => conn.QueryFirstOrDefaultAsync(
            "SELECT s.id, s.energyConsumed, s.vehicleId, s.startSoC, c.currentType, c.voltage FROM charging_sessions_live s " +
            "JOIN connectors c ON c.id = s.connectorId WHERE s.chargePointId = @cp AND s.connectorNumber = @evseId",
            new { cp = charger.ChargePointId, evseId }));
        if (session is not IDictionary<string, object?> row) return false;
        var id = row.Str("id")!;
        var sets = new Dictionary<string, object?>();
        if (needs.Departure is { } departure) sets["maximumChargingTimeDate"] = Iso.Format(departure);
        if (needs.EnergyWh is { } wh) sets["energyToCharge"] = (row.Double("energyConsumed") ?? 0) + wh / 1000.0;
        var maxKw = needs.MaxPowerW / 1000.0
            ?? needs.MaxCurrentA * PlanningSession.PowerConversionFactor(row.Str("currentType") ?? "DC") * (row.Double("voltage") ?? 230) / 1000.0;
        if (maxKw is > 0) sets["maxChargingPowerOfVehicle"] = maxKw;
        var vehicleId = row.Str("vehicleId");
        if (needs.SoC is { } soc && vehicleId is null && row.Double("startSoC") is null) sets["startSoC"] = Math.Min(soc, 99.9);
        if (sets.Count > 0)
        {
            var p = new DynamicParameters(sets);
            p.Add("id", id);
            p.Add("now", Iso.Format(core.Clock.GetUtcNow()));
            await core.Db.WriteAsync((conn, tx) => conn.ExecuteAsync(
                $"UPDATE charging_sessions SET {string.Join(", ", sets.Keys.Select(k => $"{ResourceStore.Quote(k)} = @{k}"))}, updated = @now WHERE id = @id", p, tx));
        }
        if (needs.SoC is { } vehicleSoc && vehicleId is not null)
            await telematics.AddAsync(new Caller("ocpp:" + charger.OcppId, charger.CustomerId, UserTypes.Service), vehicleId,
                new JObject { ["timestamp"] = Iso.Format(core.Clock.GetUtcNow()), ["stateOfCharge"] = vehicleSoc, ["source"] = "chargePoint" });
        core.Events.Publish(new NetworkChanged(charger.CustomerId, charger.NetworkId, "EV charging needs"));
        return true;
    }
}
