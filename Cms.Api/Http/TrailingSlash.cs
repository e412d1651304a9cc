namespace Cms.Api.Http;

/// <summary>
/// "/v2/networks/" and "/v2/networks" are the same route, as the spec uses both. Only under /v2: the reference at
/// /docs/ needs its slash (it redirects /docs there so its relative asset links resolve).
/// </summary>
public sealed class TrailingSlash(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (path is { Length: > 1 } && path.EndsWith('/') && path.StartsWith("/v2/", StringComparison.Ordinal)) context.Request.Path = path.TrimEnd('/');
        return next(context);
    }
}
