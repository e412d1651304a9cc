using Cms.Core.Domain.Ocpp.Stations;
using Microsoft.Extensions.DependencyInjection;

namespace Cms.Ocpp.V201;

public static class Ocpp201Services
{
    /// <summary>Every <see cref="IOcpp201Handler"/> of this assembly, the adapter that routes to them, and the Core services they use.</summary>
    public static IServiceCollection AddOcpp201(this IServiceCollection services)
    {
        services.AddSingleton<StationTransactions>();
        services.AddSingleton<EvseStatus>();
        services.AddSingleton<EvChargingNeeds>();
        services.AddSingleton<DeviceModel>();
        services.AddSingleton<ExternalChargingLimits>();
        foreach (var type in typeof(Ocpp201Adapter).Assembly.GetTypes()
                     .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IOcpp201Handler).IsAssignableFrom(t)))
            services.AddSingleton(typeof(IOcpp201Handler), type);
        services.AddSingleton<Ocpp201Adapter>();
        return services;
    }
}
