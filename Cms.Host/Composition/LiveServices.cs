using Cms.Core.Domain.Alerts;
using Cms.Core.Domain.Kpis;
using Cms.Core.Domain.Profiles;
using Cms.Core.Domain.StatusHistory;

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
        services.AddSingleton<OnlineRecovery>();
        services.AddHostedService<AlertWorker>();
        return services;
    }

    /// <summary>Before chargers connect: chargers the last process saw connected and never saw go are offline now (the alert engine hears it).</summary>
    public static async Task RecoverLiveStateAsync(this IServiceProvider services)
    {
        services.GetRequiredService<AlertEngine>();
        await services.GetRequiredService<OnlineRecovery>().RecoverAsync();
    }
}
