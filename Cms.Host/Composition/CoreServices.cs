using Cms.Core.Auth;
using Cms.Core.Domain;
using Cms.Core.Domain.Baseloads;
using Cms.Core.Domain.Capacities;
using Cms.Core.Domain.ChargePoints;
using Cms.Core.Domain.Configurations;
using Cms.Core.Domain.Connectors;
using Cms.Core.Domain.Delivery;
using Cms.Core.Domain.Events;
using Cms.Core.Domain.MeterValues;
using Cms.Core.Domain.IdTags;
using Cms.Core.Domain.DrEvents;
using Cms.Core.Domain.Networks;
using Cms.Core.Domain.Ocpp;
using Cms.Core.Domain.Optimizations;
using Cms.Core.Domain.Sessions;
using Cms.Core.Domain.Vehicles;
using Cms.Core.Domain.Prices;
using Cms.Core.Domain.Profiles;
using Cms.Core.Domain.Solar;
using Cms.Core.Resources;
using Cms.Core.Storage;
using Cms.Core.Time;
using Microsoft.Extensions.DependencyInjection;

namespace Cms.Host.Composition;

public static class CoreServices
{
    /// <summary>Registers the store and every domain service. One instance each: they hold no per-request state.</summary>
    public static IServiceCollection AddAmpCore(this IServiceCollection services, string databasePath, string defaultOcppFeature,
        string? postgres = null)
    {
        services.AddSingleton(new Database(databasePath, postgres));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IIdGenerator, GuidIdGenerator>();
        services.AddSingleton<DomainEvents>();
        services.AddSingleton<CoreContext>();
        services.AddSingleton<UserService>();
        services.AddSingleton<NetworkService>();
        services.AddSingleton<ChargePointService>();
        services.AddSingleton<ConnectorService>();
        services.AddSingleton<OptimizationService>();
        services.AddSingleton<OptimizationStore>();
        services.AddSingleton<NetworkOptimizer>();
        services.AddSingleton<EventLog>();
        services.AddSingleton(new HttpClient { Timeout = TimeSpan.FromSeconds(10) });
        services.AddSingleton<WebhookDelivery>();
        services.AddSingleton<DeliveryFlags>();
        services.AddSingleton<OptimizationProfileService>();
        services.AddSingleton<ReoptimizationLoop>();
        services.AddSingleton(new OcppDefaults(defaultOcppFeature));
        services.AddSingleton<OcppSettingsService>();
        services.AddSingleton<ConfigurationService>();
        services.AddSingleton<DeliveryPresetResolver>();
        services.AddSingleton<OcppEventLog>();
        services.AddSingleton<OcppEventService>();
        services.AddSingleton<ChargerAccess>();
        services.AddSingleton<ChargerStatus>();
        services.AddSingleton<OcppMessageLog>();
        services.AddSingleton<OcppMessageService>();
        services.AddSingleton<ChargerCommands>();
        services.AddSingleton<TransactionIds>();
        services.AddSingleton<ChargerTransactions>();
        services.AddSingleton<SessionService>();
        services.AddSingleton<IdleSessionCloser>();
        services.AddSingleton<MeterValueService>();
        services.AddSingleton<VehicleService>();
        services.AddSingleton<TelematicsService>();
        services.AddSingleton<IdTagService>();
        services.AddSingleton<CapacityService>();
        services.AddSingleton<PriceService>();
        services.AddSingleton<PriceConstraintService>();
        services.AddSingleton<DrEventService>();
        services.AddSingleton<BaseloadService>();
        services.AddSingleton<SolarMeteringService>();
        services.AddSingleton<InputProfileService>();
        return services;
    }
}
