using Microsoft.Extensions.DependencyInjection;
using Cms.Api.Http;
using Cms.Api.OpenApi;
using Cms.Core.Domain;
using Cms.Core.Domain.Profiles;
using Cms.Core.Resources;

namespace Cms.Api.Endpoints;

/// <summary>Routes of the optimizer's input resources (batch POST, list, get, and PATCH/DELETE where the spec has them) and their profiles.</summary>
public static class NetworkInputEndpoints
{
    public static RouteGroupBuilder MapNetworkInput<TService>(this IEndpointRouteBuilder app, string path,
        bool patch = true, bool delete = true) where TService : NetworkInputService
    {
        var group = app.MapGroup(path);
        group.MapGet("", async Task<IResult> (HttpContext http) =>
        {
            var service = Service<TService>(http);
            var request = ListRequest.From(ResourceEndpoints.Query(http), service.Spec);
            var (items, total) = await service.ListAsync(http.Caller(), request);
            NextPageLink.Add(http, request, items.Count, total);
            return Jsend.Success(items, total);
        }).Describes<TService>(ResourceOperationKind.List);
        group.MapGet("{id}", async (HttpContext http, string id) =>
            Jsend.One(await Service<TService>(http).GetAsync(http.Caller(), id))).Describes<TService>(ResourceOperationKind.Get);
        group.MapPost("", async Task<IResult> (HttpContext http) =>
        {
            var created = await Service<TService>(http).CreateBatchAsync(http.Caller(), await RequestBody.ReadAsync(http.Request));
            return Jsend.Success(created, created.Count, 201);
        }).Describes<TService>(ResourceOperationKind.BatchCreate);
        if (patch)
            group.MapPatch("{id}", async (HttpContext http, string id) =>
                Jsend.One(await Service<TService>(http).UpdateAsync(http.Caller(), id, await RequestBody.ReadAsync(http.Request))))
                .Describes<TService>(ResourceOperationKind.Update);
        if (delete)
            group.MapDelete("{id}", async (HttpContext http, string id) =>
                Jsend.One(await Service<TService>(http).DeleteAsync(http.Caller(), id))).Describes<TService>(ResourceOperationKind.Delete);
        return group;
    }

    /// <summary>GET /v2/profiles/…: data is one object (the spec's samples show "data": { }), total the points before paging.</summary>
    public static void MapInputProfiles(this IEndpointRouteBuilder app)
    {
        Map(app, "/v2/profiles/prices", (s, c, q) => s.PricesAsync(c, q))
            .WithMetadata(QueryParameters.Of(InputProfileService.PriceParams, "network"));
        Map(app, "/v2/profiles/capacities", (s, c, q) => s.CapacitiesAsync(c, q))
            .WithMetadata(QueryParameters.Of(InputProfileService.CapacityParams, "network"));
        Map(app, "/v2/profiles/dr_events", (s, c, q) => s.DrEventsAsync(c, q))
            .WithMetadata(QueryParameters.Of(InputProfileService.DrEventParams, "network", "type"));
        Map(app, "/v2/profiles/baseloads", (s, c, q) => s.BaseloadsAsync(c, q))
            .WithMetadata(QueryParameters.Of(InputProfileService.SampleParams));
        Map(app, "/v2/profiles/solar_meterings", (s, c, q) => s.SolarMeteringsAsync(c, q))
            .WithMetadata(QueryParameters.Of(InputProfileService.SampleParams));
    }

    private static RouteHandlerBuilder Map(IEndpointRouteBuilder app, string path,
        Func<InputProfileService, Cms.Core.Auth.Caller, IEnumerable<KeyValuePair<string, string[]>>, Task<(Newtonsoft.Json.Linq.JObject Data, long Total)>> profile) =>
        app.MapGet(path, async Task<IResult> (HttpContext http) =>
        {
            var (data, total) = await profile(Service<InputProfileService>(http), http.Caller(), ResourceEndpoints.Query(http));
            return Jsend.Json(new Newtonsoft.Json.Linq.JObject { ["status"] = "success", ["data"] = data, ["total"] = total }, 200);
        });

    private static T Service<T>(HttpContext http) where T : notnull => http.RequestServices.GetRequiredService<T>();
}
