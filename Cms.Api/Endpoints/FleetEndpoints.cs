using Microsoft.Extensions.DependencyInjection;
using Cms.Api.Http;
using Cms.Api.OpenApi;
using Cms.Core.Domain.IdTags;
using Cms.Core.Domain.Vehicles;
using Cms.Core.Resources;
using Newtonsoft.Json.Linq;

namespace Cms.Api.Endpoints;

/// <summary>/v2/vehicles and /v2/id_tags with their "distinct groups" lists (literal segments win over {id}).</summary>
public static class FleetEndpoints
{
    public static void MapFleet(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v2/vehicles/groups", async Task<IResult> (HttpContext http) =>
        {
            RefuseQuery(http);
            var groups = await http.RequestServices.GetRequiredService<VehicleService>().GroupsAsync(http.Caller());
            return Jsend.Success(groups.Select(g => (JToken)g));
        });
        app.MapGet("/v2/vehicles/telematics/live", async Task<IResult> (HttpContext http) =>
        {
            RefuseQuery(http);
            return Jsend.Success(await Telematics(http).LiveAsync(http.Caller()));
        });
        app.MapPost("/v2/vehicles/{id}/telematics", async (HttpContext http, string id) =>
            Jsend.One(await Telematics(http).AddAsync(http.Caller(), id, await RequestBody.ReadAsync(http.Request)), 201))
            .Describes<TelematicsService>(ResourceOperationKind.Create);
        app.MapGet("/v2/vehicles/{id}/telematics", async (HttpContext http, string id) =>
        {
            var service = Telematics(http);
            var request = ListRequest.From(ResourceEndpoints.Query(http), service.Spec);
            var (items, total) = await service.ListForVehicleAsync(http.Caller(), id, request);
            NextPageLink.Add(http, request, items.Count, total);
            return Jsend.Success(items, total);
        }).Describes<TelematicsService>(ResourceOperationKind.List);
        app.MapResource<VehicleService>("/v2/vehicles");

        app.MapGet("/v2/id_tags/custom_groups", async Task<IResult> (HttpContext http) =>
        {
            RefuseQuery(http);
            var groups = await http.RequestServices.GetRequiredService<IdTagService>().CustomGroupsAsync(http.Caller());
            return Jsend.Success(groups.Select(g => (JToken)g));
        });
        app.MapResource<IdTagService>("/v2/id_tags");
    }

    private static TelematicsService Telematics(HttpContext http) => http.RequestServices.GetRequiredService<TelematicsService>();

    /// <summary>These lists take no parameters; a typo must not look like a filter that matched.</summary>
    private static void RefuseQuery(HttpContext http)
    {
        if (http.Request.Query.Count > 0)
            throw ApiFailure.BadRequest(http.Request.Query.Keys.First(), "unknown query parameter");
    }
}
