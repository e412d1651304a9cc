using Microsoft.Extensions.DependencyInjection;
using Cms.Api.Http;
using Cms.Api.OpenApi;
using Cms.Core.Resources;

namespace Cms.Api.Endpoints;

/// <summary>Maps the five standard routes of a resource onto its service.</summary>
public static class ResourceEndpoints
{
    /// <param name="writable">False for resources only AmpCMS itself writes (optimizations): reads only.</param>
    /// <param name="create">False where the spec has no POST (events are written by AmpCMS).</param>
    /// <param name="update">False where the spec has no PATCH on /{id}.</param>
    /// <param name="delete">False where the spec has no DELETE.</param>
    public static RouteGroupBuilder MapResource<TService>(this IEndpointRouteBuilder app, string path, bool writable = true,
        bool create = true, bool update = true, bool delete = true)
        where TService : ResourceService
    {
        var group = app.MapGroup(path);
        group.MapGet("", async Task<IResult> (HttpContext http) =>
        {
            var service = Service<TService>(http);
            var request = ListRequest.From(Query(http), service.Spec);
            var (items, total) = await service.ListAsync(http.Caller(), request);
            NextPageLink.Add(http, request, items.Count, total);
            return Jsend.Success(items, total);
        }).Describes<TService>(ResourceOperationKind.List);
        group.MapGet("{id}", async (HttpContext http, string id) =>
            Jsend.One(await Service<TService>(http).GetAsync(http.Caller(), id))).Describes<TService>(ResourceOperationKind.Get);
        if (!writable) return group;
        if (create)
            group.MapPost("", async Task<IResult> (HttpContext http) =>
                Jsend.One(await Service<TService>(http).CreateAsync(http.Caller(), await RequestBody.ReadAsync(http.Request)), 201))
                .Describes<TService>(ResourceOperationKind.Create);
        if (update)
            group.MapPatch("{id}", async (HttpContext http, string id) =>
                Jsend.One(await Service<TService>(http).UpdateAsync(http.Caller(), id, await RequestBody.ReadAsync(http.Request))))
                .Describes<TService>(ResourceOperationKind.Update);
        if (delete)
            group.MapDelete("{id}", async (HttpContext http, string id) =>
                Jsend.One(await Service<TService>(http).DeleteAsync(http.Caller(), id))).Describes<TService>(ResourceOperationKind.Delete);
        return group;
    }

    /// <summary>Marks a route as running a standard operation of a resource service, for the OpenAPI document.</summary>
    public static RouteHandlerBuilder Describes<TService>(this RouteHandlerBuilder route, ResourceOperationKind kind)
        where TService : ResourceService =>
        route.WithMetadata(new ResourceOperation(typeof(TService), kind));

    private static T Service<T>(HttpContext http) where T : notnull => http.RequestServices.GetRequiredService<T>();

    public static IEnumerable<KeyValuePair<string, string[]>> Query(HttpContext http) =>
        http.Request.Query.Select(q => new KeyValuePair<string, string[]>(q.Key, q.Value.Where(v => v is not null).Select(v => v!).ToArray()));
}
