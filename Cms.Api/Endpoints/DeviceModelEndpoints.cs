using Cms.Api.Http;
using Cms.Core.Domain.Ocpp.Stations;

namespace Cms.Api.Endpoints;

/// <summary>GET /v2/charge_points/{id}/device_model: what an OCPP 2.0.1 station reported of itself (NotifyReport).</summary>
public static class DeviceModelEndpoints
{
    public static void MapDeviceModel(this IEndpointRouteBuilder app) =>
        app.MapGet("/v2/charge_points/{id}/device_model", async Task<IResult> (HttpContext http, string id, DeviceModel model) =>
        {
            var items = await model.ListAsync(http.Caller(), id);
            return Jsend.Success(items, items.Count);
        });
}
