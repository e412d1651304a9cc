using Cms.Api.Http;
using Cms.Core.Domain.Simulations;

namespace Cms.Api.Endpoints;

public static class SimulationEndpoints
{
    /// <summary>What-if replay of a network's recorded sessions through the real optimizer (writes nothing).</summary>
    public static void MapSimulations(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v2/networks/{id}/simulations", async Task<IResult> (HttpContext http, string id, SimulationService simulations) =>
            Jsend.One(await simulations.RunAsync(http.Caller(), id, await RequestBody.ReadAsync(http.Request))));
    }
}
