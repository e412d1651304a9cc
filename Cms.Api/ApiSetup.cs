using Cms.Api.Endpoints;
using Cms.Api.Http;
using Cms.Api.OpenApi;
using Cms.Core.Domain.Events;
using Cms.Core.Domain.Baseloads;
using Cms.Core.Domain.Capacities;
using Cms.Core.Domain.ChargePoints;
using Cms.Core.Domain.Connectors;
using Cms.Core.Domain.MeterValues;
using Cms.Core.Domain.Networks;
using Cms.Core.Domain.Optimizations;
using Cms.Core.Domain.Sessions;
using Cms.Core.Domain.DrEvents;
using Cms.Core.Domain.Prices;
using Cms.Core.Domain.Solar;

namespace Cms.Api;

public static class ApiSetup
{
    /// <summary>Middleware order matters: errors wrap everything, slashes are normalised before auth and routing.</summary>
    public static void UseAmpApi(this WebApplication app)
    {
        app.UseMiddleware<ErrorHandling>();
        app.UseMiddleware<UrlLengthLimit>();
        app.UseMiddleware<UnmatchedRoutes>();
        app.UseMiddleware<TrailingSlash>();
        app.UseMiddleware<BearerAuth>();
    }

    public static void MapAmpApi(this IEndpointRouteBuilder app)
    {
        app.MapUsers();
        app.MapResource<NetworkService>("/v2/networks");
        app.MapResource<ChargePointService>("/v2/charge_points");
        app.MapResource<ConnectorService>("/v2/connectors");
        app.MapResource<OptimizationService>("/v2/optimizations", writable: false);
        app.MapOcppApi();
        app.MapOptimizationProfiles();
        app.MapConfigurations();
        app.MapResource<EventLog>("/v2/events", create: false, delete: false);
        app.MapSessions();
        app.MapMeterValues();
        app.MapFleet();
        // The optimizer's inputs; PATCH and DELETE only where the spec has them.
        app.MapNetworkInput<CapacityService>("/v2/capacities");
        app.MapNetworkInput<PriceConstraintService>("/v2/prices/constraints", patch: false);
        app.MapNetworkInput<PriceService>("/v2/prices");
        app.MapNetworkInput<DrEventService>("/v2/dr_events");
        app.MapNetworkInput<BaseloadService>("/v2/baseloads", patch: false, delete: false);
        app.MapNetworkInput<SolarMeteringService>("/v2/solar_meterings", patch: false, delete: false);
        app.MapInputProfiles();
        app.MapDeviceModel();
        app.MapLive();
        app.MapOpenApiDocs();
        app.MapBilling();
        app.MapSimulations();
    }
}
