using Cms.Core.Auth;
using Cms.Core.Resources;
using Dapper;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Events;

/// <summary>Writes and serves network events (optimizations, deliveries). Writing honours the network's eventLogging.</summary>
public sealed class EventLog(CoreContext core) : ResourceService(core, EventResource.Spec)
{
    public const string Optimization = "Optimization";
    public const string Delivery = "Delivery";

    public Task RecordAsync(string customerId, string networkId, string category, string urgency, string description,
        string? chargerId = null, string? connectorId = null, string? sessionId = null, JObject? details = null)
    {
        var now = Iso.Format(Core.Clock.GetUtcNow());
        return Db.WriteAsync((conn, tx) => conn.ExecuteAsync(
            "INSERT INTO events (id, customerId, created, updated, eventTime, networkId, charger, connector, chargingSessionId, " +
            "sessionSource, category, urgency, status, description, details) " +
            "SELECT @id, @customerId, @now, @now, @now, @networkId, @chargerId, @connectorId, @sessionId, 'regular', @category, " +
            "@urgency, 'Triggered', @description, @details FROM networks WHERE id = @networkId AND eventLogging = 1",
            new
            {
                id = Core.Ids.NewId(), customerId, now, networkId, chargerId, connectorId, sessionId, category, urgency, description,
                details = details?.ToString(Formatting.None),
            }, tx));
    }

    /// <summary>Without start the last 24 hours (spec); a network is required.</summary>
    public override Task<(List<JObject> Items, long Total)> ListAsync(Caller caller, ListRequest request)
    {
        if (!request.Filters.ContainsKey("network")) throw ApiFailure.BadRequest("network", "is required");
        if (!request.Filters.ContainsKey("start"))
            request = request.WithFilter("start", Iso.Format(Core.Clock.GetUtcNow().AddHours(-24)));
        return base.ListAsync(caller, request);
    }

    public override Task<JObject> CreateAsync(Caller caller, JToken? body) =>
        throw new ApiFailure(405, "method", "events are written by AmpCMS");

    public override Task<JObject> DeleteAsync(Caller caller, string id) =>
        throw new ApiFailure(405, "method", "events cannot be deleted; resolve them with PATCH status");
}
