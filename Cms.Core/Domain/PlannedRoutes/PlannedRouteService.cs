using System.Data.Common;
using Cms.Core.Auth;
using Cms.Core.Resources;
using Dapper;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.PlannedRoutes;

/// <summary>
/// Planned routes: created in batches ({"routes": [...]}), read, patched, deleted. A change replans every network
/// where the route's vehicle (or a vehicle of its group) is charging: the optimizer reads the next route as that
/// session's departure and energy need (see Planning/RouteNeeds).
/// </summary>
public sealed class PlannedRouteService(CoreContext core) : ResourceService(core, PlannedRouteResource.Build(core.Clock))
{
    /// <summary>Names a client cannot set: the derived ones and the status computed when rendering.</summary>
    private IEnumerable<string> DerivedNames => Spec.Derived.Select(d => d.Name).Append("status");

    /// <summary>POST: every route is checked before any is stored; errors name the route (routes[1].end).</summary>
    public async Task<List<JObject>> CreateManyAsync(Caller caller, JToken? body)
    {
        if (body is not JObject obj) throw ApiFailure.Invalid("body", "must be a JSON object");
        foreach (var prop in obj.Properties())
            if (prop.Name != "routes") throw ApiFailure.Invalid(prop.Name, "unknown field");
        if (obj["routes"] is not JArray { Count: > 0 } routes) throw ApiFailure.Invalid("routes", "must be a non-empty list of planned routes");
        if (routes.Count > 1000) throw ApiFailure.Invalid("routes", "at most 1000 routes per request");
        var batch = routes.Select((route, i) => Validate(route, isCreate: true, existing: null, $"routes[{i}].")).ToList();

        var ids = batch.Select(_ => Core.Ids.NewId()).ToList();
        var rows = await Db.WriteAsync(async (conn, tx) =>
        {
            for (var i = 0; i < batch.Count; i++)
            {
                await RequireVehicleAsync(conn, tx, caller.CustomerId, batch[i], $"routes[{i}].");
                await ResourceStore.InsertAsync(conn, tx, Spec, caller.CustomerId, batch[i], Now, ids[i]);
            }
            var stored = new List<IDictionary<string, object?>>();
            foreach (var id in ids) stored.Add(await ResourceStore.GetRequiredAsync(conn, Spec, caller.CustomerId, id, tx));
            return stored;
        });
        await ReplanAsync(caller, rows);
        return rows.Select(Render).ToList();
    }

    public override Task<JObject> CreateAsync(Caller caller, JToken? body) =>
        throw new InvalidOperationException("planned routes are created in batches with CreateManyAsync");

    public override async Task<JObject> UpdateAsync(Caller caller, string id, JToken? body)
    {
        var values = Validate(body, isCreate: false, existing: null, "");
        if (values.Count == 0)
            throw ApiFailure.Invalid("body", "at least one of " + string.Join(", ", Spec.Fields.Select(f => f.Name)) + " is required");
        var (before, after) = await Db.WriteAsync(async (conn, tx) =>
        {
            var existing = await ResourceStore.GetRequiredAsync(conn, Spec, caller.CustomerId, id, tx);
            CheckWhole(values, existing, "");
            await RequireVehicleAsync(conn, tx, caller.CustomerId, values, "");
            await ResourceStore.UpdateAsync(conn, tx, Spec, caller.CustomerId, existing.Str("id")!, values, Now);
            return (existing, await ResourceStore.GetRequiredAsync(conn, Spec, caller.CustomerId, id, tx));
        });
        await ReplanAsync(caller, [before, after]);
        return Render(after);
    }

    public override async Task<JObject> DeleteAsync(Caller caller, string id)
    {
        var deleted = await base.DeleteAsync(caller, id);
        await ReplanAsync(caller, [new Dictionary<string, object?> { ["vehicleId"] = (string?)deleted["vehicleId"], ["vehicleGroup"] = (string?)deleted["vehicleGroup"] }]);
        return deleted;
    }

    /// <summary>Routes overlapping start..end: by default now to now + 24 h; the window is at most a week.</summary>
    public override Task<(List<JObject> Items, long Total)> ListAsync(Caller caller, ListRequest request)
    {
        var start = request.Filters.TryGetValue("start", out var s) ? Filters.ParseTime("start", s[^1]) : Now;
        var end = request.Filters.TryGetValue("end", out var e) ? Filters.ParseTime("end", e[^1]) : start + PlannedRouteResource.DefaultWindow;
        if (end < start) throw ApiFailure.BadRequest("end", "must not be before start");
        if (end - start > PlannedRouteResource.MaxWindow) throw ApiFailure.BadRequest("end", "must be at most one week after start");
        var windowed = request.WithFilter("start", Iso.Format(start)).WithFilter("end", Iso.Format(end));
        return base.ListAsync(caller, windowed);
    }

    /// <summary>The route as the API shows it: demand as an object, status from now; the sort helpers stay hidden.</summary>
    protected override JObject Render(IDictionary<string, object?> row)
    {
        var json = base.Render(row);
        foreach (var key in PlannedRouteResource.DemandSortKeys) json.Remove(key);
        json["status"] = PlannedRouteResource.StatusAt(Iso.Parse(row.Str("start")!), Iso.Parse(row.Str("end")!), Now);
        return json;
    }

    private Dictionary<string, object?> Validate(JToken? route, bool isCreate, IDictionary<string, object?>? existing, string prefix)
    {
        Dictionary<string, object?> values;
        try { values = BodyValidator.Validate(route, Spec.Fields, isCreate, DerivedNames); }
        catch (ApiFailure e) { throw Prefixed(e, prefix); }
        if (values.TryGetValue("demand", out var demand) && demand is JToken d) values["demand"] = Demand(d, prefix);
        if (isCreate)
        {
            if (values.GetValueOrDefault("vehicleId") is null && values.GetValueOrDefault("vehicleGroup") is null)
                throw ApiFailure.Invalid(prefix + "vehicleId", "one of vehicleId or vehicleGroup is required");
            CheckWhole(values, existing, prefix);
        }
        return values;
    }

    /// <summary>energy (kWh), distance (km), stateOfCharge (%): at least one, nothing else.</summary>
    private static JObject Demand(JToken demand, string prefix)
    {
        Dictionary<string, object?> values;
        try { values = BodyValidator.Validate(demand, PlannedRouteResource.DemandFields, isCreate: true); }
        catch (ApiFailure e) { throw Prefixed(e, prefix + "demand."); }
        var given = values.Where(v => v.Value is not null).ToList();
        if (given.Count == 0) throw ApiFailure.Invalid(prefix + "demand", "needs at least one of energy, distance, stateOfCharge");
        return new JObject(given.Select(v => new JProperty(v.Key, v.Value)));
    }

    /// <summary>Rules over the route as it will be stored: it ends after it starts.</summary>
    private static void CheckWhole(Dictionary<string, object?> values, IDictionary<string, object?>? existing, string prefix)
    {
        var start = values.TryGetValue("start", out var s) ? (DateTimeOffset)s! : Iso.Parse(existing.Str("start")!);
        var end = values.TryGetValue("end", out var e) ? (DateTimeOffset)e! : Iso.Parse(existing.Str("end")!);
        if (end <= start) throw ApiFailure.Invalid(prefix + (values.ContainsKey("end") ? "end" : "start"), "the route must end after it starts");
    }

    private static async Task RequireVehicleAsync(DbConnection conn, DbTransaction tx, string customerId, Dictionary<string, object?> values, string prefix)
    {
        if (values.GetValueOrDefault("vehicleId") is not string vehicleId) return;
        var found = await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM vehicles WHERE id = @vehicleId AND customerId = @customerId",
            new { vehicleId, customerId }, tx);
        if (found == 0) throw ApiFailure.Invalid(prefix + "vehicleId", $"vehicle {vehicleId} does not exist");
    }

    private static ApiFailure Prefixed(ApiFailure e, string prefix) =>
        prefix.Length == 0 ? e : new ApiFailure(e.Status, e.Errors.ToDictionary(x => x.Key == "body" ? prefix.TrimEnd('.') : prefix + x.Key, x => x.Value));

    /// <summary>Every network where a vehicle of these routes is charging now plans again.</summary>
    private async Task ReplanAsync(Caller caller, IEnumerable<IDictionary<string, object?>> routes)
    {
        var vehicles = routes.Select(r => r.Str("vehicleId")).OfType<string>().Distinct().ToArray();
        var groups = routes.Select(r => r.Str("vehicleGroup")).OfType<string>().Distinct().ToArray();
        var networks = await Db.ReadAsync(conn => conn.QueryAsync<string>(
            "SELECT DISTINCT s.networkId FROM charging_sessions_live s LEFT JOIN vehicles v ON v.id = s.vehicleId " +
            "WHERE s.customerId = @customerId AND (s.vehicleId IN @vehicles OR v.\"group\" IN @groups)",
            new { customerId = caller.CustomerId, vehicles, groups }));
        foreach (var network in networks)
            Core.Events.Publish(new NetworkChanged(caller.CustomerId, network, "planned route changed"));
    }
}
