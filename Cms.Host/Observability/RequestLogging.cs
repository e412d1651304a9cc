using Serilog;
using Serilog.Events;

namespace Cms.Host.Observability;

/// <summary>
/// One log line per HTTP request (Serilog's request logging; ASP.NET Core's own per-request lines are at Warning).
/// Writes and client errors are Information; successful reads, the console's files, scrapes and OCPP WebSockets (whose
/// endpoint logs them) are Debug, so a console refreshing every few seconds does not flood the log; server errors are Error.
/// </summary>
public static class RequestLogging
{
    public static void UseAmpRequestLogging(this WebApplication app) =>
        app.UseSerilogRequestLogging(options =>
        {
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} answered {StatusCode} in {Elapsed:0} ms";
            options.GetLevel = (context, _, error) => Level(context, error);
        });

    private static LogEventLevel Level(HttpContext context, Exception? error)
    {
        var status = context.Response.StatusCode;
        if (error is not null || status >= 500) return LogEventLevel.Error;
        // The OCPP endpoint logs each connection's opening, refusal and end itself.
        if (context.Request.Path.StartsWithSegments("/ocpp")) return LogEventLevel.Debug;
        if (status >= 400) return LogEventLevel.Information;
        return HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
            ? LogEventLevel.Debug : LogEventLevel.Information;
    }
}
