using Cms.Api.Http;
using Cms.Api.OpenApi;
using Cms.Core.Domain.Configurations;
using Cms.Core.Resources;

namespace Cms.Api.Endpoints;

/// <summary>/v2/configurations/ at customer, network, charge point and user level (…/ocpp_settings lives in OcppEndpoints).</summary>
public static class ConfigurationEndpoints
{
    public static void MapConfigurations(this IEndpointRouteBuilder app)
    {
        const string path = "/v2/configurations";
        app.MapGet(path, async Task<IResult> (HttpContext http, ConfigurationService s) =>
            Jsend.One(await s.GetAsync(http.Caller(), Target(http)))).WithMetadata(TargetQuery);
        app.MapPost(path, async Task<IResult> (HttpContext http, ConfigurationService s) =>
            Jsend.One(await s.CreateAsync(http.Caller(), Target(http), await RequestBody.ReadAsync(http.Request)), 201)).WithMetadata(TargetQuery);
        app.MapPatch(path, async Task<IResult> (HttpContext http, ConfigurationService s) =>
            Jsend.One(await s.UpdateAsync(http.Caller(), Target(http), await RequestBody.ReadAsync(http.Request)))).WithMetadata(TargetQuery);
        app.MapDelete(path, async Task<IResult> (HttpContext http, ConfigurationService s) =>
        {
            foreach (var key in http.Request.Query.Keys.Where(k => k != "configuration_uuid"))
                throw ApiFailure.BadRequest(key, "unknown query parameter; DELETE takes configuration_uuid");
            var ids = http.Request.Query["configuration_uuid"];
            if (ids.Count > 1) throw ApiFailure.BadRequest("configuration_uuid", "must be given once");
            return Jsend.One(await s.DeleteAsync(http.Caller(), ids.FirstOrDefault()));
        }).WithMetadata(QueryParameters.Of(["configuration_uuid"], "configuration_uuid"));
    }

    /// <summary>Exactly one of them is required.</summary>
    private static readonly QueryParameters TargetQuery = QueryParameters.Of(ConfigurationTarget.Levels);

    private static ConfigurationTarget Target(HttpContext http) => ConfigurationTarget.FromQuery(ResourceEndpoints.Query(http));
}
