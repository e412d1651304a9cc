using System.Data.Common;
using Cms.Core.Auth;
using Cms.Core.Domain.ChargePoints;
using Cms.Core.Domain.Networks;
using Cms.Core.Domain.Ocpp;
using Cms.Core.Resources;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Configurations;

/// <summary>
/// /v2/configurations/: one configuration object per customer, network, charge point or user of the caller's customer.
/// GET answers the level's configuration with its defaults (id/created/updated null while nothing is stored); POST
/// creates (409 if one exists), PATCH deep-merges into what is stored or into the defaults, DELETE by id returns the
/// level to its defaults. Writes are admin-only. The customer level shows the OCPP settings as ampCmsOptions, read
/// from <see cref="OcppSettingsService"/> (the secret only as "********" or "unregistered").
/// </summary>
public sealed class ConfigurationService(CoreContext core, OcppSettingsService ocpp)
{
    public async Task<JObject> GetAsync(Caller caller, ConfigurationTarget target)
    {
        var stored = await core.Db.ReadAsync(async conn =>
        {
            await RequireTargetAsync(conn, null, caller, target);
            return await ConfigurationStore.FindAsync(conn, caller.CustomerId, target.Level, target.Id);
        });
        return await RenderAsync(caller, target, stored);
    }

    public Task<JObject> CreateAsync(Caller caller, ConfigurationTarget target, JToken? body) => WriteAsync(caller, target, body, isCreate: true);

    public Task<JObject> UpdateAsync(Caller caller, ConfigurationTarget target, JToken? body) => WriteAsync(caller, target, body, isCreate: false);

    public async Task<JObject> DeleteAsync(Caller caller, string? configurationId)
    {
        RequireAdmin(caller);
        if (string.IsNullOrWhiteSpace(configurationId)) throw ApiFailure.BadRequest("configuration_uuid", "is required");
        var stored = await core.Db.WriteAsync(async (conn, tx) =>
        {
            var existing = await ConfigurationStore.FindByIdAsync(conn, caller.CustomerId, configurationId, tx)
                ?? throw ApiFailure.NotFound("configuration", configurationId);
            if (existing.Level == ConfigurationTarget.Customer)
                await RequireUnusedAsync(conn, tx, caller.CustomerId, existing.Body, new JObject());
            await ConfigurationStore.DeleteAsync(conn, tx, existing.Id);
            return existing;
        });
        core.Events.Publish(new ConfigurationChanged(caller.CustomerId));
        return await RenderAsync(caller, new ConfigurationTarget(stored.Level, stored.TargetId), stored);
    }

    private async Task<JObject> WriteAsync(Caller caller, ConfigurationTarget target, JToken? body, bool isCreate)
    {
        RequireAdmin(caller);
        if (body is not JObject patch) throw ApiFailure.BadRequest("body", "must be a JSON object");
        ConfigurationRules.CheckKeys(target.Level, patch);
        var ampCmsOptions = target.Level == ConfigurationTarget.Customer ? await AmpCmsOptionsAsync(caller) : null;
        var now = Iso.Format(core.Clock.GetUtcNow());
        var saved = await core.Db.WriteAsync(async (conn, tx) =>
        {
            await RequireTargetAsync(conn, tx, caller, target);
            var existing = await ConfigurationStore.FindAsync(conn, caller.CustomerId, target.Level, target.Id, tx);
            if (isCreate && existing is not null)
                throw ApiFailure.Conflict(target.Level, $"{target.Level} {target.Id} already has configuration {existing.Id}; change it with PATCH");
            var merged = JsonMerge.Apply(existing?.Body ?? new JObject(), patch);
            JObject normalized;
            switch (target.Level)
            {
                case ConfigurationTarget.Customer:
                    normalized = ConfigurationRules.NormalizeCustomer(merged, patch, ampCmsOptions!);
                    await RequireUnusedAsync(conn, tx, caller.CustomerId, existing?.Body, normalized);
                    break;
                case ConfigurationTarget.User:
                    normalized = ConfigurationRules.NormalizeUser(merged);
                    break;
                default:
                    var customer = await ConfigurationStore.FindAsync(conn, caller.CustomerId, ConfigurationTarget.Customer, caller.CustomerId, tx);
                    normalized = ConfigurationRules.NormalizeNetworkOrChargePoint(merged, customer?.Body);
                    break;
            }
            if (existing is null)
            {
                var created = new StoredConfiguration(core.Ids.NewId(), caller.CustomerId, now, now, target.Level, target.Id, normalized);
                await ConfigurationStore.InsertAsync(conn, tx, created);
                return created;
            }
            await ConfigurationStore.UpdateAsync(conn, tx, existing.Id, normalized, now);
            return existing with { Body = normalized, Updated = now };
        });
        core.Events.Publish(new ConfigurationChanged(caller.CustomerId));
        return await RenderAsync(caller, target, saved, ampCmsOptions);
    }

    /// <summary>A custom preset may not disappear while a network or charge point configuration selects it.</summary>
    private static async Task RequireUnusedAsync(DbConnection conn, DbTransaction tx, string customerId, JObject? before, JObject after)
    {
        foreach (var purpose in DeliveryPresets.Purposes)
        {
            var removed = ConfigurationRules.CustomPresets(before, purpose).Properties().Select(p => p.Name)
                .Where(name => ConfigurationRules.CustomPresets(after, purpose)[name] is null).ToList();
            if (removed.Count == 0) continue;
            foreach (var level in new[] { ConfigurationTarget.Network, ConfigurationTarget.ChargePoint })
                foreach (var user in await ConfigurationStore.ListAsync(conn, customerId, level, tx))
                    if (ConfigurationRules.Selection(user.Body, purpose) is { } name && removed.Contains(name))
                        throw ApiFailure.Conflict($"deliveryOptions.presets.{purpose}.{name}",
                            $"is selected by the configuration of {level} {user.TargetId}; change that first");
        }
    }

    /// <summary>The target must be a row of the caller's customer; anything else is 404 (never another customer's data).</summary>
    private static async Task RequireTargetAsync(DbConnection conn, DbTransaction? tx, Caller caller, ConfigurationTarget target)
    {
        var spec = target.Level switch
        {
            ConfigurationTarget.Network => NetworkResource.Spec,
            ConfigurationTarget.ChargePoint => ChargePointResource.Spec,
            ConfigurationTarget.User => UserResource.Spec,
            _ => null,
        };
        var exists = spec is null
            ? string.Equals(target.Id, caller.CustomerId, StringComparison.Ordinal)
            : await ResourceStore.GetAsync(conn, spec, caller.CustomerId, target.Id, tx) is not null;
        if (!exists) throw ApiFailure.NotFound(target.Level, target.Id);
    }

    private async Task<JObject> RenderAsync(Caller caller, ConfigurationTarget target, StoredConfiguration? stored, JObject? ampCmsOptions = null)
    {
        var body = stored?.Body ?? new JObject();
        var fields = target.Level switch
        {
            ConfigurationTarget.Customer => ConfigurationRules.RenderCustomer(body, ampCmsOptions ?? await AmpCmsOptionsAsync(caller)),
            ConfigurationTarget.Network => ConfigurationRules.RenderNetwork(body),
            ConfigurationTarget.ChargePoint => ConfigurationRules.RenderChargePoint(body),
            _ => ConfigurationRules.RenderUser(body),
        };
        var result = new JObject
        {
            ["id"] = stored?.Id,
            [target.Level] = stored?.TargetId ?? target.Id,
            ["created"] = stored?.Created,
            ["updated"] = stored?.Updated,
        };
        foreach (var property in fields.Properties()) result[property.Name] = property.Value;
        return result;
    }

    /// <summary>The customer's OCPP settings in the spec's ampCmsOptions shape.</summary>
    private async Task<JObject> AmpCmsOptionsAsync(Caller caller)
    {
        var settings = await ocpp.GetCustomerAsync(caller);
        var options = new JObject();
        // Re-created from values so a missing value is a JSON null (comparable with a client's null), not a null string.
        foreach (var key in new[] { "feature", "secret", "targetCmsUrl", "defaultNetworkId" })
            options[key] = settings[key] is JValue { Value: { } value } ? new JValue(value) : JValue.CreateNull();
        return options;
    }

    private static void RequireAdmin(Caller caller)
    {
        if (!caller.IsAdmin) throw ApiFailure.Forbidden("only admin users may change configurations");
    }
}
