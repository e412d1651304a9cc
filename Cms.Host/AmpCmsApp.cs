using Cms.Api;
using Cms.Core.Auth;
using Cms.Core.Domain.Configurations;
using Cms.Core.Domain.Delivery;
using Cms.Core.Domain.Events;
using Cms.Core.Domain.Ocpp;
using Cms.Core.Resources;
using Cms.Core.Storage;
using Cms.Api.Endpoints;
using Cms.Host.Cluster;
using Cms.Host.Composition;
using Cms.Host.OperatorConsole;
using Cms.Host.Observability;
using Cms.Host.Robustness;
using Cms.Host.Runtime;
using Cms.Ocpp.Csms;
using Cms.Ocpp.Endpoint;
using Serilog;

namespace Cms.Host;

/// <summary>
/// Builds the one AmpCMS process: config, logging, store, REST API and OCPP endpoint on one Kestrel port.
/// Program.cs runs it; integration tests start the same thing on a free loopback port, with overrides (fake time).
/// </summary>
public static class AmpCmsApp
{
    public static async Task<WebApplication> BuildAsync(string[] args, Action<IServiceCollection>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("config/appsettings.json", optional: true)
            .AddEnvironmentVariables("AMPCMS_")
            .AddCommandLine(args);
        // ASP.NET Core's several lines per request stay quiet even without config/appsettings.json; config may override.
        builder.Host.UseSerilog((context, logger) => logger
            .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
            .ReadFrom.Configuration(context.Configuration).WriteTo.Console());
        if (builder.Configuration["urls"] is null && Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is null)
            builder.WebHost.UseUrls("http://127.0.0.1:8080");

        builder.UseAmpRequestLimits();
        builder.UseHotPathRuntime();
        builder.UseChargerClientCertificates();
        var databasePath = StorageLocation.DatabasePath(builder.Configuration);
        // AmpCMS is the charge points' CSMS unless an operator says otherwise (the hosted Ampcontrol default is "off").
        builder.Services.AddAmpCore(databasePath, builder.Configuration["Ocpp:DefaultFeature"] ?? "cms",
            PostgresStore.ConnectionString(builder.Configuration));
        builder.Services.AddOptimizerGuard(builder.Configuration);
        var ocpp = builder.Configuration.GetSection("Ocpp");
        builder.Services.AddSingleton(ocpp.GetSection("Proxy").Get<Cms.Ocpp.Proxy.ProxyOptions>() ?? new Cms.Ocpp.Proxy.ProxyOptions());
        builder.Services.AddOcppCsms(new OcppCsmsOptions { HeartbeatIntervalSeconds = ocpp.GetValue("HeartbeatIntervalSeconds", 300) },
            connection => connection.DefaultCallTimeout = TimeSpan.FromSeconds(ocpp.GetValue("CallTimeoutSeconds", 30)));
        builder.Services.AddHostedService<MessageLogWriter>();
        builder.Services.AddHostedService<ReoptimizationWorker>();
        builder.Services.AddHostedService<OptimizationStoreWorker>();
        builder.Services.AddHostedService<WebhookWorker>();
        builder.Services.AddHostedService<IdleSessionWorker>();
        builder.Services.AddTrafficJournals(builder.Configuration);
        builder.Services.AddAmpCluster(builder.Configuration);
        builder.Services.AddAmpLive();
        var maxPeriods = ocpp.GetValue("MaxSchedulePeriods", ScheduleCompression.DefaultMaxPeriods);
        builder.Services.AddSingleton(sp => new OcppProfileDelivery(sp.GetRequiredService<CoreContext>(), sp.GetRequiredService<IChargerGateway>(),
            sp.GetRequiredService<EventLog>(), sp.GetRequiredService<DeliveryFlags>(),
            sp.GetRequiredService<DeliveryPresetResolver>().ResolveManyAsync,
            maxPeriods));
        builder.Services.AddHostedService<ProfileDeliveryWorker>();
        builder.Services.AddAmpMetrics();
        builder.Services.AddAmpBilling(builder.Configuration);
        builder.Services.AddHostedService<Cms.Ocpp.Connection.OcppShutdown>(); // after the message log writer: stops before it
        overrides?.Invoke(builder.Services);

        var app = builder.Build();
        var database = app.Services.GetRequiredService<Database>();
        await database.MigrateAsync();
        var recovered = await Cms.Core.Domain.MeterValues.DeferredReadings.RecoverAsync(database);
        if (recovered > 0) app.Logger.LogInformation("Stored {Count} acknowledged MeterValues left by the last run", recovered);
        await Bootstrap.RunAsync(app.Services.GetRequiredService<UserService>(), databasePath,
            builder.Configuration["Bootstrap:Token"], app.Logger);
        await app.Services.RecoverLiveStateAsync();

        app.PrintBannerWhenStarted(databasePath);
        app.UseThreadPoolForRequests();
        app.UseAmpRequestLogging();
        app.UseAmpConsole();
        app.UseWebSockets();
        app.UseAmpApi();
        app.MapGet("/health", async () => Results.Json(new
        {
            status = "ok",
            version = typeof(AmpCmsApp).Assembly.GetName().Version?.ToString(3),
            database = await database.IsHealthyAsync() ? "ok" : "unavailable",
        }));
        app.MapAmpApi();
        app.MapOcppMessages();
        app.MapOcpp();
        app.MapAmpMetrics();
        return app;
    }
}
