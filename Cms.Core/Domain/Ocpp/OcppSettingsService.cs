using Cms.Core.Auth;
using Cms.Core.Domain.ChargePoints;
using Cms.Core.Domain.Networks;
using Cms.Core.Resources;
using Dapper;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Ocpp;

/// <summary>
/// OCPP connection settings of a customer and of single charge points. Secrets are stored hashed and shown only
/// as whether one is set ("********") or not ("unregistered", the spec's default).
/// </summary>
public sealed class OcppSettingsService(CoreContext core, OcppDefaults defaults)
{
    private const string Hidden = "********";
    private const string Unset = "unregistered";

    public async Task<JObject> GetCustomerAsync(Caller caller)
    {
        var row = await core.Db.ReadAsync(conn => conn.QueryFirstOrDefaultAsync(
            "SELECT * FROM ocpp_settings WHERE customerId = @customerId", new { customerId = caller.CustomerId }));
        return RenderCustomer(row as IDictionary<string, object?>);
    }

    /// <summary>POST creates or replaces (secret required); PATCH changes only what is sent.</summary>
    public async Task<JObject> SaveCustomerAsync(Caller caller, JToken? body, bool isCreate)
    {
        RequireAdmin(caller);
        var values = BodyValidator.Validate(body, OcppSettingsResource.CustomerFields, isCreate);
        if (values.TryGetValue("targetCmsUrl", out var url) && url is string u && !IsWebSocketUrl(u))
            throw ApiFailure.Invalid("targetCmsUrl", "must be a ws:// or wss:// URL");
        var now = Iso.Format(core.Clock.GetUtcNow());
        await core.Db.WriteAsync(async (conn, tx) =>
        {
            if (values.TryGetValue("defaultNetworkId", out var networkId) && networkId is string id
                && await ResourceStore.GetAsync(conn, NetworkResource.Spec, caller.CustomerId, id, tx) is null)
                throw ApiFailure.Invalid("defaultNetworkId", $"network {id} does not exist");
            var existing = await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ocpp_settings WHERE customerId = @c", new { c = caller.CustomerId }, tx);
            if (existing == 0)
                await conn.ExecuteAsync("INSERT INTO ocpp_settings (customerId, created, updated, feature) VALUES (@c, @now, @now, @feature)",
                    new { c = caller.CustomerId, now, feature = defaults.Feature }, tx);
            await UpdateAsync(conn, tx, "ocpp_settings", "customerId", caller.CustomerId, values, now);
        });
        return await GetCustomerAsync(caller);
    }

    public async Task<JObject> GetChargePointAsync(Caller caller, string chargePointId)
    {
        var row = await core.Db.ReadAsync(async conn =>
        {
            await ResourceStore.GetRequiredAsync(conn, ChargePointResource.Spec, caller.CustomerId, chargePointId);
            return await conn.QueryFirstOrDefaultAsync("SELECT * FROM charge_point_ocpp_settings WHERE chargePointId = @id",
                new { id = chargePointId });
        });
        var settings = (IDictionary<string, object?>?)row;
        return new JObject
        {
            ["chargePointId"] = chargePointId,
            ["secret"] = settings.Str("secret") is null ? Unset : Hidden,
            ["feature"] = settings?.Str("feature"),
            ["created"] = settings?.Str("created"),
            ["updated"] = settings?.Str("updated"),
        };
    }

    public async Task<JObject> SaveChargePointAsync(Caller caller, string chargePointId, JToken? body, bool isCreate)
    {
        RequireAdmin(caller);
        var values = BodyValidator.Validate(body, OcppSettingsResource.ChargePointFields, isCreate);
        var now = Iso.Format(core.Clock.GetUtcNow());
        await core.Db.WriteAsync(async (conn, tx) =>
        {
            var cp = await ResourceStore.GetRequiredAsync(conn, ChargePointResource.Spec, caller.CustomerId, chargePointId, tx);
            await conn.ExecuteAsync(
                "INSERT INTO charge_point_ocpp_settings (chargePointId, customerId, created, updated) VALUES (@id, @c, @now, @now) " +
                "ON CONFLICT (chargePointId) DO NOTHING", new { id = cp["id"], c = caller.CustomerId, now }, tx);
            await UpdateAsync(conn, tx, "charge_point_ocpp_settings", "chargePointId", (string)cp["id"]!, values, now);
        });
        return await GetChargePointAsync(caller, chargePointId);
    }

    private static async Task UpdateAsync(System.Data.Common.DbConnection conn, System.Data.Common.DbTransaction tx,
        string table, string key, string id, Dictionary<string, object?> values, string now)
    {
        if (values.TryGetValue("secret", out var secret) && secret is string s)
            values["secret"] = Secrets.HashPassword(s, Secrets.ChargerSecretIterations);
        var p = new SqlParams();
        var sets = values.Select(v => $"{ResourceStore.Quote(v.Key)} = {p.Add(ResourceStore.ToDb(v.Value))}").Append($"updated = {p.Add(now)}");
        await conn.ExecuteAsync($"UPDATE {table} SET {string.Join(", ", sets)} WHERE {key} = {p.Add(id)}", p.Values, tx);
    }

    private JObject RenderCustomer(IDictionary<string, object?>? row) => new()
    {
        ["secret"] = row.Str("secret") is null ? Unset : Hidden,
        ["feature"] = row?.Str("feature") ?? defaults.Feature,
        ["targetCmsUrl"] = row?.Str("targetCmsUrl"),
        ["defaultNetworkId"] = row?.Str("defaultNetworkId"),
        ["created"] = row?.Str("created"),
        ["updated"] = row?.Str("updated"),
    };

    private static void RequireAdmin(Caller caller)
    {
        if (!caller.IsAdmin) throw ApiFailure.Forbidden("only admin users may change OCPP settings");
    }

    private static bool IsWebSocketUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == "ws" || uri.Scheme == "wss");
}

/// <summary>The feature in force where a customer has not saved OCPP settings (config Ocpp:DefaultFeature).</summary>
public sealed record OcppDefaults(string Feature);
