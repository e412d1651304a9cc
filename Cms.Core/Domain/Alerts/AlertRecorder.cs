using Cms.Core.Domain.Configurations;
using Cms.Core.Resources;
using Dapper;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Alerts;

/// <summary>What to raise: the alert's name, where, and what the charger showed.</summary>
public sealed record AlertCondition(string CustomerId, string NetworkId, string Name, string? ChargePointId, string? ConnectorId,
    string? SessionId, DateTimeOffset At, JObject Details);

/// <summary>
/// Stores alerts and their events. A raise reads the network's alert settings (alerts on/off and alertOptions) once:
/// raises are rare, so the settings are never cached and a configuration change takes effect at the next raise.
/// </summary>
public sealed class AlertRecorder(CoreContext core)
{
    public const string EventCategory = "Alert";

    /// <summary>Stores the alert and its event in one transaction; null when the network disabled it. Returns the rendered alert.</summary>
    public async Task<JObject?> RaiseAsync(AlertCondition c)
    {
        var definition = AlertCatalog.Definitions[c.Name];
        var options = await core.Db.ReadAsync(conn => ConfigurationStore.FindAsync(conn, c.CustomerId, ConfigurationTarget.Network, c.NetworkId));
        var body = options?.Body ?? [];
        if (body["alerts"] is { Type: JTokenType.Boolean } on && !(bool)on) return null;
        var option = body["alertOptions"]?[AlertCatalog.OptionKey(c.Name)] as JObject;
        if (!(option?["enabled"] is { Type: JTokenType.Boolean } enabled ? (bool)enabled : definition.EnabledByDefault)) return null;

        var urgency = (string?)option?["urgency"] is { } u && AlertCatalog.Urgencies.Contains(u) ? u : definition.Urgency;
        var category = option?["category"] is JArray { Count: > 0 } cats ? cats : new JArray(definition.Category);
        var description = (string?)option?["description"] ?? definition.Description;
        var action = (string?)option?["action"] ?? definition.Action;
        var id = core.Ids.NewId();
        var now = Iso.Format(core.Clock.GetUtcNow());
        await core.Db.WriteAsync(async (conn, tx) =>
        {
            await conn.ExecuteAsync(
                "INSERT INTO alerts (id, customerId, created, updated, \"name\", \"networkId\", \"charger\", \"connector\", \"chargingSessionId\", " +
                "\"category\", \"urgency\", \"urgencyRank\", \"status\", \"start\", \"end\", \"description\", \"action\", \"notes\", \"details\") " +
                "VALUES (@id, @CustomerId, @now, @now, @Name, @NetworkId, @ChargePointId, @ConnectorId, @SessionId, @category, @urgency, @rank, " +
                "'Triggered', @start, NULL, @description, @action, NULL, @details)",
                new
                {
                    id, c.CustomerId, now, c.Name, c.NetworkId, c.ChargePointId, c.ConnectorId, c.SessionId,
                    category = category.ToString(Formatting.None), urgency, rank = AlertCatalog.UrgencyRank(urgency), start = Iso.Format(c.At),
                    description, action, details = c.Details.ToString(Formatting.None),
                }, tx);
            await EventAsync(conn, tx, c.CustomerId, c.NetworkId, id, c.ChargePointId, c.ConnectorId, c.SessionId, EventUrgency(urgency),
                $"{c.Name} raised: {description}", c.Details);
        });
        return await GetAsync(c.CustomerId, id);
    }

    /// <summary>The condition cleared: the alert ends and is Resolved. Returns the rendered alert, null when it is gone.</summary>
    public async Task<JObject?> ResolveAsync(string customerId, string alertId, DateTimeOffset at, string why)
    {
        var now = Iso.Format(core.Clock.GetUtcNow());
        var resolved = await core.Db.WriteAsync(async (conn, tx) =>
        {
            var row = await conn.QueryFirstOrDefaultAsync<(string Name, string NetworkId, string? Charger, string? Connector, string? Session)?>(
                "SELECT \"name\", \"networkId\", \"charger\", \"connector\", \"chargingSessionId\" FROM alerts WHERE id = @alertId AND \"end\" IS NULL",
                new { alertId }, tx);
            if (row is not { } r) return false;
            await conn.ExecuteAsync("UPDATE alerts SET \"end\" = @end, \"status\" = 'Resolved', updated = @now WHERE id = @alertId",
                new { alertId, end = Iso.Format(at), now }, tx);
            await EventAsync(conn, tx, customerId, r.NetworkId, alertId, r.Charger, r.Connector, r.Session, "Info", $"{r.Name} resolved: {why}", null);
            return true;
        });
        return resolved ? await GetAsync(customerId, alertId) : null;
    }

    /// <summary>Alerts still open (after a restart the engine picks up where it was).</summary>
    public Task<IEnumerable<(string Id, string CustomerId, string NetworkId, string Name, string? Charger, string? Connector, string? Session, string? Details)>> OpenAsync() =>
        core.Db.ReadAsync(conn => conn.QueryAsync<(string, string, string, string, string?, string?, string?, string?)>(
            "SELECT id, customerId, \"networkId\", \"name\", \"charger\", \"connector\", \"chargingSessionId\", \"details\" FROM alerts WHERE \"end\" IS NULL"));

    public async Task<JObject?> GetAsync(string customerId, string id)
    {
        var row = await core.Db.ReadAsync(conn => ResourceStore.GetAsync(conn, AlertResource.Spec, customerId, id));
        return row is null ? null : RowRenderer.Render(AlertResource.Spec, row);
    }

    /// <summary>/v2/events' urgencies are Info/Warning/Error/Critical.</summary>
    private static string EventUrgency(string alertUrgency) => alertUrgency switch
    {
        "Very High" => "Critical",
        "High" => "Error",
        "Medium" => "Warning",
        _ => "Info",
    };

    /// <summary>An alert event on /v2/events (sessionSource "alert"), honouring the network's eventLogging like every event.</summary>
    private Task EventAsync(System.Data.Common.DbConnection conn, System.Data.Common.DbTransaction tx, string customerId, string networkId,
        string alertId, string? charger, string? connector, string? session, string urgency, string description, JObject? details)
    {
        var now = Iso.Format(core.Clock.GetUtcNow());
        return conn.ExecuteAsync(
            "INSERT INTO events (id, customerId, created, updated, eventTime, networkId, charger, connector, chargingSessionId, alert, " +
            "sessionSource, category, urgency, status, description, details) " +
            "SELECT @id, @customerId, @now, @now, @now, @networkId, @charger, @connector, @session, @alertId, 'alert', @category, @urgency, " +
            "'Triggered', @description, @details FROM networks WHERE id = @networkId AND eventLogging = 1",
            new
            {
                id = core.Ids.NewId(), customerId, now, networkId, charger, connector, session, alertId, category = EventCategory, urgency,
                description, details = details?.ToString(Formatting.None),
            }, tx);
    }
}
