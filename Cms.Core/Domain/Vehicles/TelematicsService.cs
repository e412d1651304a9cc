using Cms.Core.Auth;
using Cms.Core.Resources;
using Dapper;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Vehicles;

/// <summary>
/// Telematics samples of a vehicle. A sample with a stateOfCharge that is the vehicle's newest also becomes the
/// vehicle's stateOfCharge, and reoptimizes the network it charges on (if any).
/// </summary>
public sealed class TelematicsService(CoreContext core) : ResourceService(core, TelematicsResource.Spec)
{
    public async Task<JObject> AddAsync(Caller caller, string vehicleId, JToken? body)
    {
        var values = BodyValidator.Validate(body, Spec, isCreate: true);
        var hasPosition = values.GetValueOrDefault("latitude") is not null || values.GetValueOrDefault("longitude") is not null;
        if (hasPosition && values.GetValueOrDefault("latitude") is null) throw ApiFailure.Invalid("latitude", "is required when longitude is set");
        if (hasPosition && values.GetValueOrDefault("longitude") is null) throw ApiFailure.Invalid("longitude", "is required when latitude is set");
        if (!hasPosition && values.GetValueOrDefault("chargingState") is null && values.GetValueOrDefault("stateOfCharge") is null)
            throw ApiFailure.Invalid("stateOfCharge", "one of latitude and longitude, chargingState or stateOfCharge is required");

        var id = Core.Ids.NewId();
        var (row, networks) = await Db.WriteAsync(async (conn, tx) =>
        {
            var vehicle = await ResourceStore.GetRequiredAsync(conn, VehicleResource.Spec, caller.CustomerId, vehicleId, tx);
            var vid = (string)vehicle["id"]!;
            values["vehicleId"] = vid;
            var newer = await conn.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM vehicle_telematics WHERE \"vehicleId\" = @vid AND \"timestamp\" > @ts",
                new { vid, ts = Iso.Format((DateTimeOffset)values["timestamp"]!) }, tx);
            await ResourceStore.InsertAsync(conn, tx, Spec, caller.CustomerId, values, Now, id);
            List<string> affected = [];
            if (newer == 0 && values.GetValueOrDefault("stateOfCharge") is double soc && soc != vehicle.Double("stateOfCharge"))
            {
                await ResourceStore.UpdateAsync(conn, tx, VehicleResource.Spec, caller.CustomerId, vid,
                    new Dictionary<string, object?> { ["stateOfCharge"] = soc }, Now);
                affected = (await conn.QueryAsync<string>(
                    "SELECT DISTINCT \"networkId\" FROM charging_sessions_live WHERE \"vehicleId\" = @vid AND customerId = @customerId",
                    new { vid, customerId = caller.CustomerId }, tx)).ToList();
            }
            return (await ResourceStore.GetRequiredAsync(conn, Spec, caller.CustomerId, id, tx), affected);
        });
        foreach (var network in networks)
            Core.Events.Publish(new NetworkChanged(caller.CustomerId, network, "vehicle telematics"));
        return Render(row);
    }

    /// <summary>A vehicle's samples, newest first, optionally within [start, end].</summary>
    public async Task<(List<JObject> Items, long Total)> ListForVehicleAsync(Caller caller, string vehicleId, ListRequest request)
    {
        var (rows, total) = await Db.ReadAsync(async conn =>
        {
            var vehicle = await ResourceStore.GetRequiredAsync(conn, VehicleResource.Spec, caller.CustomerId, vehicleId);
            var p = new SqlParams();
            return await ResourceStore.ListAsync(conn, Spec, caller.CustomerId, request, [$"t.\"vehicleId\" = {p.Add(vehicle["id"])}"], p);
        });
        return (rows.Select(Render).ToList(), total);
    }

    /// <summary>/v2/vehicles/telematics/live: the newest sample of each of the caller's vehicles that has one.</summary>
    public async Task<List<JObject>> LiveAsync(Caller caller)
    {
        var rows = await Db.ReadAsync(conn => conn.QueryAsync(
            $"{ResourceStore.Select(Spec)} WHERE t.customerId = @customerId AND NOT EXISTS (SELECT 1 FROM vehicle_telematics n " +
            "WHERE n.\"vehicleId\" = t.\"vehicleId\" AND (n.\"timestamp\" > t.\"timestamp\" OR (n.\"timestamp\" = t.\"timestamp\" AND n.id > t.id))) " +
            "ORDER BY t.\"vehicleId\"", new { customerId = caller.CustomerId }));
        return rows.Cast<IDictionary<string, object?>>().Select(Render).ToList();
    }
}
