using Cms.Core.Domain.Alerts;
using Cms.Core.Domain.Kpis;
using Cms.Core.Domain.Profiles;

namespace Cms.Host.Composition;

/// <summary>What comes from live charger traffic over time: alerts, KPIs and the live profiles.</summary>
public static class LiveServices
{
    public static IServiceCollection AddAmpLive(this IServiceCollection services)
    {
        services.AddSingleton<AlertRecorder>();
        services.AddSingleton<AlertWebhook>();
        services.AddSingleton<AlertEngine>();
        services.AddSingleton<AlertService>();
        services.AddSingleton<KpiService>();
        services.AddSingleton<LiveProfileService>();
        services.AddHostedService<AlertWorker>();
        return services;
    }
}
