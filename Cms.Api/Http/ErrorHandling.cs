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
        catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
        {
            log.LogError(e, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            await Jsend.Error("internal error; nothing was changed").ExecuteAsync(context);
        }
    }
}
