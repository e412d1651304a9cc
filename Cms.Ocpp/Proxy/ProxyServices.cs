using Cms.Core.Domain.Proxy;
using Cms.Ocpp.Connection;
using Cms.Ocpp.Csms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cms.Ocpp.Proxy;

public static class ProxyServices
{
    /// <summary>Proxy mode on top of the CSMS: the connection events gain a relay for chargers whose feature is proxy.</summary>
    public static IServiceCollection AddOcppProxy(this IServiceCollection services)
    {
        services.TryAddSingleton(new ProxyOptions());
        services.AddSingleton<CsmsConnectionEvents>();
        services.AddSingleton<ProxyQueueStore>();
        services.AddSingleton<ProxyRefusals>();
        services.AddSingleton<ProxyObserver>();
        services.AddSingleton<ProxyRelayContext>();
        services.AddSingleton<ProxyConnectionEvents>();
        services.Replace(ServiceDescriptor.Singleton<IOcppConnectionEvents>(sp => sp.GetRequiredService<ProxyConnectionEvents>()));
        return services;
    }
}
