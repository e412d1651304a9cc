using Cms.Core.Auth;
using Cms.Core.Resources;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Ocpp;

/// <summary>
/// /v2/ocpp_events: read-only. "A default 24 hours range will be applied if start and/or end are not specified":
/// neither given, the last 24 hours; only end, the 24 hours before it; only start, the 24 hours after it.
/// </summary>
public sealed class OcppEventService(CoreContext core) : ResourceService(core, OcppEventResource.Spec)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    public override Task<(List<JObject> Items, long Total)> ListAsync(Caller caller, ListRequest request)
    {
        return base.ListAsync(caller, request.WithDefaultWindow(Core.Clock.GetUtcNow(), Window, boundEnd: true));
    }
}
