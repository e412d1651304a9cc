using Cms.Core.Domain.Alerts;
using Cms.Core.Domain.Cdrs;
using Cms.Core.Domain.Diagnostics;
using Cms.Core.Domain.Ocpp;
using Cms.Core.Domain.PlannedRoutes;
using Cms.Core.Domain.Reports;
using Cms.Core.Domain.Sessions;

namespace Cms.Host.Composition;

public static class BillingServices
{
    /// <summary>CDRs, CSV reports (and their worker), diagnostics uploads and planned routes.</summary>
    public static IServiceCollection AddAmpBilling(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(new DiagnosticsOptions(
            config.GetValue("Diagnostics:MaxUploadBytes", 50L * 1024 * 1024), config["PublicUrl"] is { Length: > 0 } url ? url : null));
        services.AddSingleton<CdrService>();
        services.AddSingleton<ReportQueue>();
        services.AddSingleton<ReportService>();
        services.AddSingleton<ReportGenerator>();
        // One source per exportable model.
        services.AddSingleton(sp => ReportSource.Of("charging_sessions", sp.GetRequiredService<SessionService>()));
        services.AddSingleton(sp => ReportSource.Of("ocpp_messages", sp.GetRequiredService<OcppMessageService>()));
        services.AddSingleton(sp => ReportSource.Of("alerts", sp.GetRequiredService<AlertService>()));
        services.AddSingleton(sp => ReportSource.Of("cdrs", sp.GetRequiredService<CdrService>(), CdrResource.ExportParam));
        services.AddHostedService<ReportWorker>();
        services.AddSingleton<DiagnosticsService>();
        services.AddSingleton<PlannedRouteService>();
        return services;
    }
}
