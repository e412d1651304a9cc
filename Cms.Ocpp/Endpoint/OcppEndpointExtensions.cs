using Cms.Ocpp.Connection;
using Cms.Ocpp.Schemas;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cms.Ocpp.Endpoint;

public static class OcppEndpointExtensions
{
    /// <summary>
    /// Registers the OCPP transport. The Host still registers IOcppCallHandler and
    /// IChargerAuthenticator (required), IOcppFrameLog and IOcppConnectionEvents (optional).
    /// </summary>
    public static IServiceCollection AddOcpp(this IServiceCollection services, Action<OcppConnectionOptions>? configure = null)
    {
        services.AddOptions<OcppConnectionOptions>();
        if (configure is not null)
            services.Configure(configure);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SchemaValidator>();
        services.TryAddSingleton<OcppConnectionRegistry>();
        services.TryAddSingleton<AdmissionThrottle>();
        services.TryAddSingleton<OcppEndpoint>();
        return services;
    }

    /// <summary>Maps {prefix}/{ocppId} and {prefix}/{customerShortName}/{ocppId}. Needs app.UseWebSockets() first.</summary>
    public static RouteGroupBuilder MapOcpp(this IEndpointRouteBuilder endpoints, string prefix = "/ocpp")
    {
        var group = endpoints.MapGroup(prefix);
        RequestDelegate handle = context => context.RequestServices.GetRequiredService<OcppEndpoint>().HandleAsync(context);
        group.Map("{ocppId}", handle);
        group.Map("{customerShortName}/{ocppId}", handle);
        return group;
    }
}
