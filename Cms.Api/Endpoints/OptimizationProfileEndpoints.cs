using Cms.Api.Http;
using Cms.Api.OpenApi;
using Cms.Core.Domain.Profiles;
using Newtonsoft.Json.Linq;

namespace Cms.Api.Endpoints;

public static class OptimizationProfileEndpoints
{
    public static void MapOptimizationProfiles(this IEndpointRouteBuilder app)
    {
        // data is one compact series object, like the other /v2/profiles/ endpoints.
        app.MapGet("/v2/profiles/optimizations", async Task<IResult> (HttpContext http, OptimizationProfileService s) =>
        {
            var (data, total) = await s.OptimizationsAsync(http.Caller(), ResourceEndpoints.Query(http));
            return Jsend.Json(new JObject { ["status"] = "success", ["data"] = data, ["total"] = total }, 200);
        }).WithMetadata(QueryParameters.Of(OptimizationProfileService.OptimizationParams));
        app.MapGet("/v2/charging_sessions/profiles", async Task<IResult> (HttpContext http, OptimizationProfileService s) =>
        {
            var (items, total) = await s.SessionProfilesAsync(http.Caller(), ResourceEndpoints.Query(http));
            return Jsend.Success(items, total);
        }).WithMetadata(QueryParameters.Of(OptimizationProfileService.SessionProfileParams, "network"));
    }
}
