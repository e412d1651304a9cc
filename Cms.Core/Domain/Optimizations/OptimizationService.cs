using Cms.Core.Auth;
using Cms.Core.Resources;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Optimizations;

/// <summary>Read side of optimizations. Active ones by default; with start/end the history too, as the spec says.</summary>
public sealed class OptimizationService(CoreContext core) : ResourceService(core, OptimizationResource.Spec)
{
    public override Task<(List<JObject> Items, long Total)> ListAsync(Caller caller, ListRequest request)
    {
        if (!OptimizationResource.ScopeParams.Any(request.Filters.ContainsKey))
            throw ApiFailure.BadRequest("network", "one of connector, chargepoint, network, charging_session or vehicle is required");
        var history = request.Filters.ContainsKey("start") || request.Filters.ContainsKey("end");
        if (!history && !request.Filters.ContainsKey("active"))
            request = request.WithFilter("active", "true");
        return base.ListAsync(caller, request);
    }
}
