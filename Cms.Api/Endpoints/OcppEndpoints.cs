using Cms.Api.Http;
using Cms.Api.OpenApi;
using Cms.Core.Domain.Ocpp;
using Cms.Core.Resources;

namespace Cms.Api.Endpoints;

/// <summary>OCPP settings, the message log (and sending frames), and connection events.</summary>
public static class OcppEndpoints
{
    public static void MapOcppApi(this IEndpointRouteBuilder app)
    {
        const string settings = "/v2/configurations/ocpp_settings";
        app.MapGet(settings, async Task<IResult> (HttpContext http, OcppSettingsService s) =>
            Jsend.One(await s.GetCustomerAsync(http.Caller())));
        app.MapPost(settings, async Task<IResult> (HttpContext http, OcppSettingsService s) =>
            Jsend.One(await s.SaveCustomerAsync(http.Caller(), await RequestBody.ReadAsync(http.Request), isCreate: true), 201))
            .WithMetadata(new BodyFields(OcppSettingsResource.CustomerFields, IsCreate: true));
        app.MapPatch(settings, async Task<IResult> (HttpContext http, OcppSettingsService s) =>
            Jsend.One(await s.SaveCustomerAsync(http.Caller(), await RequestBody.ReadAsync(http.Request), isCreate: false)))
            .WithMetadata(new BodyFields(OcppSettingsResource.CustomerFields, IsCreate: false));
        app.MapGet(settings + "/charge_points/{id}", async Task<IResult> (HttpContext http, string id, OcppSettingsService s) =>
            Jsend.One(await s.GetChargePointAsync(http.Caller(), id)));
        app.MapPost(settings + "/charge_points/{id}", async Task<IResult> (HttpContext http, string id, OcppSettingsService s) =>
            Jsend.One(await s.SaveChargePointAsync(http.Caller(), id, await RequestBody.ReadAsync(http.Request), isCreate: true), 201))
            .WithMetadata(new BodyFields(OcppSettingsResource.ChargePointFields, IsCreate: true));
        app.MapPatch(settings + "/charge_points/{id}", async Task<IResult> (HttpContext http, string id, OcppSettingsService s) =>
            Jsend.One(await s.SaveChargePointAsync(http.Caller(), id, await RequestBody.ReadAsync(http.Request), isCreate: false)))
            .WithMetadata(new BodyFields(OcppSettingsResource.ChargePointFields, IsCreate: false));

        app.MapGet("/v2/ocpp_events", async Task<IResult> (HttpContext http, OcppEventService s) =>
        {
            var request = ListRequest.From(ResourceEndpoints.Query(http), s.Spec);
            var (items, total) = await s.ListAsync(http.Caller(), request);
            NextPageLink.Add(http, request, items.Count, total);
            return Jsend.Success(items, total);
        }).Describes<OcppEventService>(ResourceOperationKind.List);
    }

    public static void MapOcppMessages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v2/ocpp_messages", async Task<IResult> (HttpContext http, OcppMessageService s) =>
        {
            var request = ListRequest.From(ResourceEndpoints.Query(http), s.Spec);
            var (items, total) = await s.ListAsync(http.Caller(), request);
            NextPageLink.Add(http, request, items.Count, total);
            return Jsend.Success(items, total);
        }).Describes<OcppMessageService>(ResourceOperationKind.List);
        app.MapPost("/v2/ocpp_messages", async Task<IResult> (HttpContext http, OcppMessageService s) =>
            Jsend.One(await s.CreateAsync(http.Caller(), await RequestBody.ReadAsync(http.Request))))
            .WithMetadata(new BodyFields(OcppMessageService.SendFields, IsCreate: true));
        app.MapPost("/v2/ocpp_messages/{ocppId}", async Task<IResult> (HttpContext http, string ocppId, OcppMessageService s) =>
            Jsend.One(await s.SendByOcppIdAsync(http.Caller(), ocppId, await RequestBody.ReadAsync(http.Request))));
    }
}
