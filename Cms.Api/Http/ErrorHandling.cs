using Cms.Core.Resources;
using Microsoft.Extensions.Logging;

namespace Cms.Api.Http;

/// <summary>Turns domain failures into JSend "fail" and anything unexpected into a logged 500 "error".</summary>
public sealed class ErrorHandling(RequestDelegate next, ILogger<ErrorHandling> log)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (ApiFailure failure) when (!context.Response.HasStarted)
        {
            await Jsend.Fail(failure.Status, failure.Errors).ExecuteAsync(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await Jsend.Fail(e.StatusCode, new Dictionary<string, string> { ["request"] = e.Message }).ExecuteAsync(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && Cms.Core.Storage.SqlDialect.IsConstraintViolation(e))
        {
            // A race the services' checks lost (or a check missing): the store refused the write, so it is a conflict, not a crash.
            log.LogWarning(e, "Store constraint refused {Method} {Path}", context.Request.Method, context.Request.Path);
            await Jsend.Fail(409, new Dictionary<string, string> { ["request"] = "conflicts with stored data" }).ExecuteAsync(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
        {
            log.LogError(e, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            await Jsend.Error("internal error; nothing was changed").ExecuteAsync(context);
        }
    }
}
