using Cms.Core.Auth;
using Cms.Core.Resources;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Ocpp;

/// <summary>/v2/ocpp_events: read-only; without start/end the last 24 hours, as the spec says.</summary>
public sealed class OcppEventService(CoreContext core) : ResourceService(core, OcppEventResource.Spec)
{
    public override Task<(List<JObject> Items, long Total)> ListAsync(Caller caller, ListRequest request)
    {
        if (!request.Filters.ContainsKey("start") && !request.Filters.ContainsKey("end"))
        {
            var since = Iso.Format(Core.Clock.GetUtcNow().AddHours(-24));
            request = request.WithFilter("start", since);
        }
        return base.ListAsync(caller, request);
    }
}
