using System.Data.Common;
using Cms.Core.Auth;
using Cms.Core.Domain.Vehicles;
using Cms.Core.Resources;
using Dapper;

namespace Cms.Core.Domain.IdTags;

public sealed class IdTagService(CoreContext core) : ResourceService(core, IdTagResource.Spec)
{
    /// <summary>
    /// What the OCPP layer answers to Authorize / StartTransaction. A known tag answers its own verdict
    /// (Blocked, Invalid, Expired when its status says so or its expiry has passed, else Accepted);
    /// an unknown tag is Invalid unless the charge point allows all id tags. allowAllIdTags does not
    /// override a known tag's Blocked or Expired: blocking a lost card must keep working on open chargers.
    /// </summary>
    public async Task<IdTagVerdict> AuthorizeAsync(string customerId, string idTag, bool allowAllIdTags)
    {
        var row = await Db.ReadAsync(async conn => (await conn.QueryAsync(
                $"{ResourceStore.Select(Spec)} WHERE t.customerId = @customerId AND LOWER(t.\"value\") = LOWER(@value)",
                new { customerId, value = idTag.Trim() }))
            .Cast<IDictionary<string, object?>>().FirstOrDefault());
        return Decide(row, allowAllIdTags, Core.Clock.GetUtcNow());
    }

    /// <summary>The verdict rule on its own, for a stored row (or null: unknown tag) at a moment.</summary>
    public static IdTagVerdict Decide(IDictionary<string, object?>? row, bool allowAllIdTags, DateTimeOffset now)
    {
        if (row is null) return new IdTagVerdict(allowAllIdTags ? IdTagStatus.Accepted : IdTagStatus.Invalid);
        var expiry = row.Str("expiryDate") is { } e ? Iso.Parse(e) : (DateTimeOffset?)null;
        var status = row.Str("status") switch
        {
            IdTagStatuses.Blocked => IdTagStatus.Blocked,
            IdTagStatuses.Invalid => IdTagStatus.Invalid,
            IdTagStatuses.Expired => IdTagStatus.Expired,
            _ when expiry is { } x && x <= now => IdTagStatus.Expired,
            _ => IdTagStatus.Accepted,
        };
        return new IdTagVerdict(status, row.Str("parentIdTag"), expiry, row.Str("id"), row.Str("vehicleId"),
            row.Long("priority") is { } p ? (int)p : null);
    }

    /// <summary>GET /v2/id_tags/custom_groups: the distinct, non-empty custom groups of the caller's tags, sorted.</summary>
    public async Task<List<string>> CustomGroupsAsync(Caller caller) =>
        (await Db.ReadAsync(conn => conn.QueryAsync<string>(
            "SELECT DISTINCT \"customGroup\" FROM id_tags WHERE customerId = @customerId AND \"customGroup\" IS NOT NULL " +
            "AND \"customGroup\" <> '' ORDER BY \"customGroup\"", new { customerId = caller.CustomerId }))).ToList();

    protected override async Task BeforeWriteAsync(DbConnection conn, DbTransaction tx, Caller caller,
        Dictionary<string, object?> values, IDictionary<string, object?>? existing)
    {
        if (values.TryGetValue("value", out var v))
        {
            var value = ((string)v!).Trim();
            if (value.Length == 0) throw ApiFailure.Invalid("value", "must not be empty");
            values["value"] = value;
            var taken = await conn.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM id_tags WHERE customerId = @customerId AND LOWER(\"value\") = LOWER(@value) AND id <> @self",
                new { customerId = caller.CustomerId, value, self = existing?["id"] ?? "" }, tx);
            if (taken > 0) throw ApiFailure.Conflict("value", $"id tag '{value}' already exists");
        }
        if (values.TryGetValue("vehicleId", out var vehicle) && vehicle is string vehicleId)
            await RequireReferenceAsync(conn, tx, VehicleResource.Spec, caller.CustomerId, "vehicleId", vehicleId);
    }
}
