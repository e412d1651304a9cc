using Cms.Core.Domain.Ocpp;
using Cms.Ocpp.Connection;
using Cms.Ocpp.Endpoint;
using Cms.Ocpp.Proxy;
using Cms.Ocpp.V16;
using Cms.Ocpp.V201;
using Microsoft.Extensions.DependencyInjection;

namespace Cms.Ocpp.Csms;

public static class CsmsServices
{
    /// <summary>AmpCMS as the chargers' central system: transport, version adapters and the seams Core calls.</summary>
    public static IServiceCollection AddOcppCsms(this IServiceCollection services, OcppCsmsOptions options,
        Action<OcppConnectionOptions>? connection = null)
    {
        services.AddOcpp(connection);
        services.AddSingleton(options);
        services.AddSingleton<ChargerGateway>();
        services.AddSingleton<IChargerGateway>(sp => sp.GetRequiredService<ChargerGateway>());
        services.AddSingleton<Ocpp16Adapter>();
        services.AddOcpp201();
        services.AddSingleton<OcppDispatcher>();
        services.AddSingleton<IOcppCallHandler>(sp => sp.GetRequiredService<OcppDispatcher>());
        services.AddSingleton<IChargerMessageProcessor>(sp => sp.GetRequiredService<OcppDispatcher>());
        services.AddSingleton<IChargerAuthenticator, CsmsAuthenticator>();
        services.AddSingleton<IOcppConnectionEvents, CsmsConnectionEvents>();
        services.AddSingleton<IOcppFrameLog, CsmsFrameLog>();
        services.AddOcppProxy();
        return services;
    }
}
