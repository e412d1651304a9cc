using Cms.Core.Auth;
using Cms.Core.Resources;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Alerts;

/// <summary>/v2/alerts for clients: list (a network is required; the last 24 hours unless start is given), get, PATCH status and notes.</summary>
public sealed class AlertService(CoreContext core) : ResourceService(core, AlertResource.Spec)
{
    public override async Task<(List<JObject> Items, long Total)> ListAsync(Caller caller, ListRequest request)
    {
        if (!request.Filters.TryGetValue("network", out var networks)) throw ApiFailure.BadRequest("network", "is required");
        // Another customer's network is not found, as its alerts would not be.
        foreach (var network in networks)
            await Db.ReadAsync(async conn =>
            {
                await StatusHistory.LiveScope.RequireAsync(conn, caller.CustomerId, "network", "networks",
                    (string)Filters.ConvertQueryValue("network", network, FieldType.Uuid));
                return true;
            });
        if (request.Filters.ContainsKey("name"))
        {
            // "Filter by alert name. This will override the 'category' and 'urgency' fields."
            var filters = request.Filters.Where(f => f.Key is not ("category" or "urgency")).ToDictionary(f => f.Key, f => f.Value);
            request = new ListRequest { Limit = request.Limit, Offset = request.Offset, Sort = request.Sort, Search = request.Search, Filters = filters };
        }
        foreach (var item in (request.Sort ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (!AlertResource.SortKeys.Contains(item.Split(':')[0]))
                throw ApiFailure.BadRequest("sort", "must be start, end, urgency or name, with :asc or :desc");
        if (!request.Filters.ContainsKey("start"))
            request = request.WithFilter("start", Iso.Format(Now.AddHours(-24)));
        return await base.ListAsync(caller, request);
    }

    public override Task<JObject> CreateAsync(Caller caller, JToken? body) =>
        throw new ApiFailure(405, "method", "alerts are raised by AmpCMS");

    public override Task<JObject> DeleteAsync(Caller caller, string id) =>
        throw new ApiFailure(405, "method", "alerts cannot be deleted; resolve them with PATCH status");
}
