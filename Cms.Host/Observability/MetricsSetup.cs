using System.Security.Cryptography;
using System.Text;
using Cms.Core.Diagnostics;
using Cms.Ocpp.Connection;
using OpenTelemetry.Metrics;

namespace Cms.Host.Observability;

/// <summary>
/// GET /metrics in Prometheus text format (OpenTelemetry's Prometheus exporter): AmpCMS's own meter (connected chargers,
/// OCPP messages by action, optimizer runs and durations, delivery outcomes, write-lock wait) plus ASP.NET Core's
/// request metrics and the .NET runtime's. Open like /health by default (the host listens on loopback unless told
/// otherwise, and no customer data is in it); with Metrics:Token set, a scrape must send "Authorization: Bearer {token}".
/// </summary>
public static class MetricsSetup
{
    public const string Path = "/metrics";

    public static void AddAmpMetrics(this IServiceCollection services) =>
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(AmpMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime")
            .AddPrometheusExporter());

    public static void MapAmpMetrics(this WebApplication app)
    {
        var connections = app.Services.GetRequiredService<OcppConnectionRegistry>();
        var counting = AmpMetrics.CountConnectedChargers(() => connections.Count);
        app.Lifetime.ApplicationStopped.Register(counting.Dispose);

        var endpoint = app.MapPrometheusScrapingEndpoint(Path);
        if (app.Configuration["Metrics:Token"] is { Length: > 0 } token)
            RequireToken(endpoint, token);
    }

    private static void RequireToken(IEndpointConventionBuilder endpoint, string token)
    {
        var expected = Encoding.UTF8.GetBytes("Bearer " + token);
        endpoint.Add(builder =>
        {
            var next = builder.RequestDelegate!;
            builder.RequestDelegate = context =>
            {
                var sent = Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString());
                if (CryptographicOperations.FixedTimeEquals(sent, expected)) return next(context);
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            };
        });
    }
}
