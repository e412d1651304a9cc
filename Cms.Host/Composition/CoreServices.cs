using Cms.Core.Auth;
using Cms.Core.Domain;
using Cms.Core.Domain.ChargePoints;
using Cms.Core.Domain.Connectors;
using Cms.Core.Domain.IdTags;
using Cms.Core.Domain.Networks;
using Cms.Core.Domain.Optimizations;
using Cms.Core.Domain.Vehicles;
using Cms.Core.Resources;
using Cms.Core.Storage;
using Cms.Core.Time;
using Microsoft.Extensions.DependencyInjection;

namespace Cms.Host.Composition;

public static class CoreServices
{
    /// <summary>Registers the store and every domain service. One instance each: they hold no per-request state.</summary>
    public static IServiceCollection AddAmpCore(this IServiceCollection services, string databasePath)
    {
        services.AddSingleton(new Database(databasePath));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IIdGenerator, GuidIdGenerator>();
        services.AddSingleton<DomainEvents>();
        services.AddSingleton<CoreContext>();
        services.AddSingleton<UserService>();
        services.AddSingleton<NetworkService>();
        services.AddSingleton<ChargePointService>();
        services.AddSingleton<ConnectorService>();
        services.AddSingleton<OptimizationService>();
        services.AddSingleton<VehicleService>();
        services.AddSingleton<TelematicsService>();
        services.AddSingleton<IdTagService>();
        return services;
    }
}
