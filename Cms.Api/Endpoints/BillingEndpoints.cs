using Cms.Api.Http;
using Cms.Api.OpenApi;
using Cms.Core.Domain.Cdrs;
using Cms.Core.Domain.Diagnostics;
using Cms.Core.Domain.PlannedRoutes;
using Cms.Core.Domain.Reports;
using Cms.Core.Resources;
using Newtonsoft.Json.Linq;

namespace Cms.Api.Endpoints;

/// <summary>/v2/cdrs, /v2/reports (CSV downloads), /v2/diagnostics (and the one-time upload URL chargers send to), /v2/planned_routes.</summary>
public static class BillingEndpoints
{
    public static void MapBilling(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v2/cdrs", async Task<IResult> (HttpContext http, CdrService cdrs) =>
        {
            var (items, total) = await cdrs.ListAsync(http.Caller(), CdrService.Request(ResourceEndpoints.Query(http)));
            return Jsend.Success(items, total);
        }).Describes<CdrService>(ResourceOperationKind.List);

        app.MapGet("/v2/reports", async Task<IResult> (HttpContext http, ReportService reports) =>
        {
            var (items, total) = await reports.ListAsync(http.Caller(), ListRequest.From(ResourceEndpoints.Query(http), reports.Spec));
            return Jsend.Success(items, total);
        }).Describes<ReportService>(ResourceOperationKind.List);
        app.MapPost("/v2/reports", async Task<IResult> (HttpContext http, ReportService reports) =>
            Jsend.One(await reports.CreateAsync(http.Caller(), await RequestBody.ReadAsync(http.Request)), 201));
        app.MapGet("/v2/reports/{id}", async Task<IResult> (HttpContext http, string id, ReportService reports) =>
            Jsend.One(await reports.GetAsync(http.Caller(), id))).Describes<ReportService>(ResourceOperationKind.Get);
        app.MapGet("/v2/reports/{id}/download", async Task<IResult> (HttpContext http, string id, ReportService reports) =>
        {
            var (path, fileName) = await reports.DownloadAsync(http.Caller(), id);
            return Results.File(path, "text/csv", fileName);
        });

        app.MapGet("/v2/diagnostics", async Task<IResult> (HttpContext http, DiagnosticsService diagnostics) =>
        {
            var (items, total) = await diagnostics.ListAsync(http.Caller(), ListRequest.From(ResourceEndpoints.Query(http), diagnostics.Spec));
            return Jsend.Success(items, total);
        }).Describes<DiagnosticsService>(ResourceOperationKind.List);
        app.MapPost("/v2/diagnostics", async Task<IResult> (HttpContext http, DiagnosticsService diagnostics) =>
            Jsend.One(await diagnostics.RequestAsync(http.Caller(), await RequestBody.ReadAsync(http.Request),
                $"{http.Request.Scheme}://{http.Request.Host}"), 201));
        app.MapGet("/v2/diagnostics/{id}", async Task<IResult> (HttpContext http, string id, DiagnosticsService diagnostics) =>
            Jsend.One(await diagnostics.GetAsync(http.Caller(), id))).Describes<DiagnosticsService>(ResourceOperationKind.Get);
        app.MapGet("/v2/diagnostics/{id}/download", async Task<IResult> (HttpContext http, string id, DiagnosticsService diagnostics) =>
        {
            var (path, fileName) = await diagnostics.DownloadAsync(http.Caller(), id);
            return Results.File(path, "application/octet-stream", fileName);
        });
        DiagnosticsUpload.Map(app);

        app.MapGet("/v2/planned_routes", async Task<IResult> (HttpContext http, PlannedRouteService routes) =>
        {
            var (items, total) = await routes.ListAsync(http.Caller(), ListRequest.From(ResourceEndpoints.Query(http), routes.Spec));
            return Jsend.Success(items, total);
        }).Describes<PlannedRouteService>(ResourceOperationKind.List);
        app.MapPost("/v2/planned_routes", async Task<IResult> (HttpContext http, PlannedRouteService routes) =>
        {
            var created = await routes.CreateManyAsync(http.Caller(), await RequestBody.ReadAsync(http.Request));
            return Jsend.Success(created.Cast<JToken>(), created.Count, 201);
        });
        app.MapGet("/v2/planned_routes/{id}", async Task<IResult> (HttpContext http, string id, PlannedRouteService routes) =>
            Jsend.One(await routes.GetAsync(http.Caller(), id))).Describes<PlannedRouteService>(ResourceOperationKind.Get);
        app.MapPatch("/v2/planned_routes/{id}", async Task<IResult> (HttpContext http, string id, PlannedRouteService routes) =>
            Jsend.One(await routes.UpdateAsync(http.Caller(), id, await RequestBody.ReadAsync(http.Request)))).Describes<PlannedRouteService>(ResourceOperationKind.Update);
        app.MapDelete("/v2/planned_routes/{id}", async Task<IResult> (HttpContext http, string id, PlannedRouteService routes) =>
            Jsend.One(await routes.DeleteAsync(http.Caller(), id))).Describes<PlannedRouteService>(ResourceOperationKind.Delete);
    }
}
