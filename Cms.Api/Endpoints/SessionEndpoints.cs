using Cms.Api.Http;
using Cms.Api.OpenApi;
using Cms.Core.Domain.MeterValues;
using Cms.Core.Domain.Sessions;
using Cms.Core.Resources;

namespace Cms.Api.Endpoints;

public static class SessionEndpoints
{
    /// <summary>The five standard routes, plus DELETE /{id}/{transaction_id}: stop only if the session has that transaction.</summary>
    public static void MapSessions(this IEndpointRouteBuilder app)
    {
        app.MapResource<SessionService>("/v2/charging_sessions");
        app.MapDelete("/v2/charging_sessions/{id}/{transactionId}", async (HttpContext http, string id, string transactionId, SessionService sessions) =>
        {
            if (!long.TryParse(transactionId, out var number))
                throw ApiFailure.BadRequest("transaction_id", "must be an integer");
            return Jsend.One(await sessions.StopAsync(http.Caller(), id, number));
        });
    }

    /// <summary>POST a batch (answers the batch as stored) and GET the stored sampled values; they are never changed.</summary>
    public static void MapMeterValues(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v2/meter_values", async Task<IResult> (HttpContext http, MeterValueService meterValues) =>
            Jsend.One(await meterValues.CreateAsync(http.Caller(), await RequestBody.ReadAsync(http.Request)), 201))
            .WithMetadata(new BodyFields(MeterValuesRequest.TopFields, IsCreate: true));
        app.MapGet("/v2/meter_values", async Task<IResult> (HttpContext http, MeterValueService meterValues) =>
        {
            var request = ListRequest.From(ResourceEndpoints.Query(http), meterValues.Spec);
            var (items, total) = await meterValues.ListAsync(http.Caller(), request);
            NextPageLink.Add(http, request, items.Count, total);
            return Jsend.Success(items, total);
        }).Describes<MeterValueService>(ResourceOperationKind.List);
    }
}
