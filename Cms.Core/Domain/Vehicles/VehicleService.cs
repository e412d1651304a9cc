using System.Data.Common;
using Cms.Core.Auth;
using Cms.Core.Domain.Networks;
using Cms.Core.Resources;
using Dapper;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Vehicles;

public sealed class VehicleService(CoreContext core) : ResourceService(core, VehicleResource.Spec)
{
    /// <summary>
    /// Like the generic update, but a change of SoC, target SoC or departure time publishes NetworkChanged
    /// for the network of the vehicle's open session, so the optimizer can give it a new limit.
    /// </summary>
    public override async Task<JObject> UpdateAsync(Caller caller, string id, JToken? body)
    {
        var values = BodyValidator.Validate(body, Spec, isCreate: false);
        var (row, networks) = await Db.WriteAsync(async (conn, tx) =>
        {
            var existing = await ResourceStore.GetRequiredAsync(conn, Spec, caller.CustomerId, id, tx);
            await BeforeWriteAsync(conn, tx, caller, values, existing);
            var changed = VehicleResource.OptimizationFields.Any(f => values.ContainsKey(f) && !SameValue(values[f], existing[f]));
            if (values.Count > 0)
                await ResourceStore.UpdateAsync(conn, tx, Spec, caller.CustomerId, id, values, Now);
            var updated = await ResourceStore.GetRequiredAsync(conn, Spec, caller.CustomerId, id, tx);
            var openNetworks = changed ? await OpenSessionNetworksAsync(conn, tx, caller.CustomerId, id) : [];
            return (updated, openNetworks);
        });
        foreach (var network in networks)
            Core.Events.Publish(new NetworkChanged(caller.CustomerId, network, "vehicle updated"));
        return Render(row);
    }

    public override async Task<(List<JObject> Items, long Total)> ListAsync(Caller caller, ListRequest request)
    {
        if (request.Sort is { } sort)
            request = With(request, sort: string.Join(",", sort.Split(',').Select(AliasSort)), search: request.Search);
        if (string.IsNullOrWhiteSpace(request.Search))
            return await base.ListAsync(caller, request);

        // The spec's search also matches the vehicle's id tag values ("idTagNames"), which live in another table.
        var p = new SqlParams();
        var like = p.Add("%" + request.Search.Trim().ToLowerInvariant() + "%");
        var search = "(" + string.Join(" OR ", Spec.SearchColumns.Select(c => $"LOWER({c}) LIKE {like}")) +
                     $" OR EXISTS (SELECT 1 FROM id_tags i WHERE i.\"vehicleId\" = t.id AND LOWER(i.\"value\") LIKE {like}))";
        var (rows, total) = await Db.ReadAsync(conn =>
            ResourceStore.ListAsync(conn, Spec, caller.CustomerId, With(request, request.Sort, search: null), [search], p));
        return (rows.Select(Render).ToList(), total);
    }

    /// <summary>GET /v2/vehicles/groups: the distinct, non-empty groups of the caller's vehicles, sorted.</summary>
    public async Task<List<string>> GroupsAsync(Caller caller) =>
        (await Db.ReadAsync(conn => conn.QueryAsync<string>(
            "SELECT DISTINCT \"group\" FROM vehicles WHERE customerId = @customerId AND \"group\" IS NOT NULL AND \"group\" <> '' " +
            "ORDER BY \"group\"", new { customerId = caller.CustomerId }))).ToList();

    protected override async Task BeforeWriteAsync(DbConnection conn, DbTransaction tx, Caller caller,
        Dictionary<string, object?> values, IDictionary<string, object?>? existing)
    {
        // The spec: battery capacity "is an integer > 0"; a zero maximum power would starve the vehicle forever.
        foreach (var field in new[] { "batteryCapacity", "maxChargingPower" })
            if (values.TryGetValue(field, out var v) && v is double d && d <= 0)
                throw ApiFailure.Invalid(field, "must be > 0");
        if (values.TryGetValue("insideDepot", out var depot) && depot is string networkId)
            await RequireReferenceAsync(conn, tx, NetworkResource.Spec, caller.CustomerId, "insideDepot", networkId);
    }

    /// <summary>Refused while the vehicle charges (the optimizer needs its data); its id tags stay, unlinked.</summary>
    protected override async Task BeforeDeleteAsync(DbConnection conn, DbTransaction tx, Caller caller, IDictionary<string, object?> existing)
    {
        var open = await conn.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM charging_sessions_live WHERE \"vehicleId\" = @id", new { id = existing["id"] }, tx);
        if (open > 0) throw ApiFailure.Conflict("id", "vehicle has an active charging session; stop it first");
        await conn.ExecuteAsync(
            "UPDATE id_tags SET \"vehicleId\" = NULL, updated = @now WHERE \"vehicleId\" = @id AND customerId = @customerId",
            new { id = existing["id"], customerId = caller.CustomerId, now = Iso.Format(Now) }, tx);
    }

    private static async Task<List<string>> OpenSessionNetworksAsync(DbConnection conn, DbTransaction tx, string customerId, string vehicleId) =>
        (await conn.QueryAsync<string>(
            "SELECT DISTINCT \"networkId\" FROM charging_sessions_live WHERE \"vehicleId\" = @vehicleId AND customerId = @customerId",
            new { vehicleId, customerId }, tx)).ToList();

    private static bool SameValue(object? newValue, object? stored) => (newValue, stored) switch
    {
        (null, null or DBNull) => true,
        (double a, double b) => a == b,
        (double a, long b) => a == b,
        (DateTimeOffset a, string b) => Iso.Format(a) == b,
        _ => false,
    };

    private static string AliasSort(string item)
    {
        var bits = item.Trim().Split(':', 2);
        return VehicleResource.SortAliases.TryGetValue(bits[0], out var column)
            ? column + (bits.Length > 1 ? ":" + bits[1] : "")
            : item;
    }

    private static ListRequest With(ListRequest r, string? sort, string? search) => new()
    {
        Limit = r.Limit, Offset = r.Offset, Sort = sort, Search = search, Filters = r.Filters,
    };
}
