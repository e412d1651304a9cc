using System.Collections.Concurrent;
using System.Globalization;
using Cms.Core.Auth;
using Cms.Core.Resources;
using Dapper;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Ocpp.Stations;

/// <summary>One attribute of one variable of a station's device model (OCPP 2.0.1 part 1 §4).</summary>
public sealed record DeviceVariable(string Component, string? ComponentInstance, int? EvseId, int? ConnectorId, string Variable,
    string? VariableInstance, string AttributeType, string? Value, string? Mutability, string? DataType, string? Unit);

/// <summary>
/// The device model a station reports (NotifyReport), kept per charge point and served by
/// GET /v2/charge_points/{id}/device_model. Delivery reads SmartChargingCtrlr.PeriodsPerSchedule from it.
/// </summary>
public sealed class DeviceModel(CoreContext core)
{
    private readonly ConcurrentDictionary<string, int?> _periods = new();

    public async Task StoreAsync(ChargerAdmitted charger, IReadOnlyCollection<DeviceVariable> variables)
    {
        if (variables.Count == 0) return;
        var now = Iso.Format(core.Clock.GetUtcNow());
        await core.Db.WriteAsync((conn, tx) => conn.ExecuteAsync(
            "INSERT INTO device_model_variables (chargePointId, component, componentInstance, evseId, connectorId, variable, variableInstance, " +
            "attributeType, value, mutability, dataType, unit, updated) VALUES (@ChargePointId, @Component, @ComponentInstance, @EvseId, @ConnectorId, " +
            "@Variable, @VariableInstance, @AttributeType, @Value, @Mutability, @DataType, @Unit, @Updated) " +
            "ON CONFLICT (chargePointId, component, componentInstance, evseId, connectorId, variable, variableInstance, attributeType) " +
            "DO UPDATE SET value = excluded.value, mutability = excluded.mutability, dataType = excluded.dataType, unit = excluded.unit, updated = excluded.updated",
            variables.Select(v => new
            {
                charger.ChargePointId, v.Component, ComponentInstance = v.ComponentInstance ?? "", EvseId = v.EvseId ?? -1,
                ConnectorId = v.ConnectorId ?? -1, v.Variable, VariableInstance = v.VariableInstance ?? "", v.AttributeType, v.Value,
                v.Mutability, v.DataType, v.Unit, Updated = now,
            }), tx));
        _periods.TryRemove(charger.ChargePointId, out _);
    }

    /// <summary>The caller's charge point's device model (404 for another customer's), sorted by component and variable.</summary>
    public async Task<List<JObject>> ListAsync(Caller caller, string chargePointId)
    {
        var rows = await core.Db.ReadAsync(async conn =>
        {
            var owned = Guid.TryParse(chargePointId, out var g) && await conn.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM charge_points WHERE id = @id AND customerId = @customerId", new { id = g.ToString(), customerId = caller.CustomerId }) > 0;
            if (!owned) throw ApiFailure.NotFound("charge point", chargePointId);
            return (await conn.QueryAsync(
                "SELECT * FROM device_model_variables WHERE chargePointId = @id ORDER BY component, componentInstance, evseId, connectorId, variable, variableInstance, attributeType",
                new { id = g.ToString() })).Cast<IDictionary<string, object?>>().ToList();
        });
        return rows.Select(r => new JObject
        {
            ["component"] = r.Str("component"),
            ["componentInstance"] = r.Str("componentInstance") is { Length: > 0 } ci ? ci : null,
            ["evseId"] = r.Long("evseId") is >= 0 and var e ? e : null,
            ["connectorId"] = r.Long("connectorId") is >= 0 and var c ? c : null,
            ["variable"] = r.Str("variable"),
            ["variableInstance"] = r.Str("variableInstance") is { Length: > 0 } vi ? vi : null,
            ["attributeType"] = r.Str("attributeType"),
            ["value"] = r.Str("value"),
            ["mutability"] = r.Str("mutability"),
            ["dataType"] = r.Str("dataType"),
            ["unit"] = r.Str("unit"),
            ["updated"] = r.Str("updated"),
        }).ToList();
    }

    /// <summary>SmartChargingCtrlr.PeriodsPerSchedule (Actual) when the station reported it; remembered until it reports again.</summary>
    public async Task<int?> PeriodsPerScheduleAsync(string chargePointId)
    {
        if (_periods.TryGetValue(chargePointId, out var known)) return known;
        var text = await core.Db.ReadAsync(conn => conn.ExecuteScalarAsync<string?>(
            "SELECT value FROM device_model_variables WHERE chargePointId = @chargePointId AND component = 'SmartChargingCtrlr' " +
            "AND variable = 'PeriodsPerSchedule' AND attributeType = 'Actual' ORDER BY evseId LIMIT 1", new { chargePointId }));
        int? periods = int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
        _periods[chargePointId] = periods;
        return periods;
    }
}
