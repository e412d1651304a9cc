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

    public override IReadOnlyList<string> RequiredListParams => ["network"];

    /// <summary>Without start 24 hours (spec): before now, or before end when only end is given; a network is required.</summary>
    public override Task<(List<JObject> Items, long Total)> ListAsync(Caller caller, ListRequest request)
    {
        return base.ListAsync(caller, request.WithDefaultWindow(Core.Clock.GetUtcNow(), TimeSpan.FromHours(24), boundEnd: false));
    }

    public override Task<JObject> CreateAsync(Caller caller, JToken? body) =>
        throw new ApiFailure(405, "method", "events are written by AmpCMS");

    public override Task<JObject> DeleteAsync(Caller caller, string id) =>
        throw new ApiFailure(405, "method", "events cannot be deleted; resolve them with PATCH status");
}
