using Microsoft.Extensions.DependencyInjection;
using Cms.Api.Http;
using Cms.Core.Resources;

namespace Cms.Api.Endpoints;

/// <summary>Maps the five standard routes of a resource onto its service.</summary>
public static class ResourceEndpoints
{
    /// <param name="writable">False for resources only AmpCMS itself writes (optimizations): reads only.</param>
    public static RouteGroupBuilder MapResource<TService>(this IEndpointRouteBuilder app, string path, bool writable = true)
        where TService : ResourceService
    {
        var group = app.MapGroup(path);
        group.MapGet("", async Task<IResult> (HttpContext http) =>
        {
            var service = Service<TService>(http);
            var request = ListRequest.From(Query(http), service.Spec);
            var (items, total) = await service.ListAsync(http.Caller(), request);
            return Jsend.Success(items, total);
        });
        group.MapGet("{id}", async (HttpContext http, string id) =>
            Jsend.One(await Service<TService>(http).GetAsync(http.Caller(), id)));
        if (!writable) return group;
        group.MapPost("", async Task<IResult> (HttpContext http) =>
            Jsend.One(await Service<TService>(http).CreateAsync(http.Caller(), await RequestBody.ReadAsync(http.Request)), 201));
        group.MapPatch("{id}", async (HttpContext http, string id) =>
            Jsend.One(await Service<TService>(http).UpdateAsync(http.Caller(), id, await RequestBody.ReadAsync(http.Request))));
        group.MapDelete("{id}", async (HttpContext http, string id) =>
            Jsend.One(await Service<TService>(http).DeleteAsync(http.Caller(), id)));
        return group;
    }

    private static T Service<T>(HttpContext http) where T : notnull => http.RequestServices.GetRequiredService<T>();

    public static IEnumerable<KeyValuePair<string, string[]>> Query(HttpContext http) =>
        http.Request.Query.Select(q => new KeyValuePair<string, string[]>(q.Key, q.Value.Where(v => v is not null).Select(v => v!).ToArray()));
}
