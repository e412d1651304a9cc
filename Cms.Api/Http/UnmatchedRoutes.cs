namespace Cms.Api.Http;

/// <summary>
/// Routing answers an unknown path 404 and a known path with the wrong method 405, both with an empty body;
/// this gives them the JSend "fail" body every other client error has. OCPP's WebSocket paths answer for themselves.
/// </summary>
public sealed class UnmatchedRoutes(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        if (context.Response.HasStarted || context.Request.Path.StartsWithSegments("/ocpp")) return;
        var request = context.Request;
        switch (context.Response.StatusCode)
        {
            case StatusCodes.Status404NotFound when context.GetEndpoint() is null:
                await Jsend.Fail(404, new Dictionary<string, string> { ["path"] = $"no endpoint {request.Method} {request.Path}" })
                    .ExecuteAsync(context);
                break;
            case StatusCodes.Status405MethodNotAllowed:
                var allowed = context.Response.Headers.Allow.ToString();
                var reason = $"{request.Method} is not allowed on {request.Path}" + (allowed.Length > 0 ? $"; allowed: {allowed}" : "");
                await Jsend.Fail(405, new Dictionary<string, string> { ["method"] = reason }).ExecuteAsync(context);
                break;
        }
    }
}
