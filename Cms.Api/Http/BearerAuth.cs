using Cms.Core.Auth;
using Cms.Core.Resources;

namespace Cms.Api.Http;

/// <summary>
/// Every /v2 route needs "Authorization: Bearer &lt;token&gt;" except login. read_only users may only read.
/// </summary>
public sealed class BearerAuth(RequestDelegate next)
{
    internal const string CallerKey = "ampcms.caller";

    /// <summary>The one /v2 route that needs no token.</summary>
    public static bool IsAnonymous(string path) => path.TrimEnd('/') == "/v2/users/login";

    public async Task InvokeAsync(HttpContext context, UserService users)
    {
        var path = context.Request.Path.Value ?? "";
        if (!path.StartsWith("/v2", StringComparison.Ordinal) || IsAnonymous(path))
        {
            await next(context);
            return;
        }
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        if (string.IsNullOrEmpty(token))
            throw new ApiFailure(401, "authorization", "missing bearer token");
        var caller = await users.AuthenticateAsync(token) ?? throw new ApiFailure(401, "authorization", "invalid or revoked token");
        if (caller.IsReadOnly && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            throw ApiFailure.Forbidden("read_only users may only read");
        context.Items[CallerKey] = caller;
        await next(context);
    }
}

public static class CallerAccess
{
    public static Caller Caller(this HttpContext context) =>
        context.Items[BearerAuth.CallerKey] as Caller ?? throw new ApiFailure(401, "authorization", "missing bearer token");
}
