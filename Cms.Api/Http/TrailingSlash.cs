namespace Cms.Api.Http;

/// <summary>"/v2/networks/" and "/v2/networks" are the same route, as the spec uses both.</summary>
public sealed class TrailingSlash(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (path is { Length: > 1 } && path.EndsWith('/')) context.Request.Path = path.TrimEnd('/');
        return next(context);
    }
}
