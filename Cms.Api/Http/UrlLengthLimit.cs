using Microsoft.Extensions.Configuration;

namespace Cms.Api.Http;

/// <summary>
/// Refuses a URL longer than Api:MaxUrlBytes (default 8 KiB) with a JSend 414 naming the limit. Kestrel's own request
/// line limit is set far above it (RequestLimits) because Kestrel answers its 414 itself, with no body a client can read.
/// </summary>
public sealed class UrlLengthLimit(RequestDelegate next, IConfiguration config)
{
    public const int DefaultMaxUrlBytes = 8 * 1024;
    private readonly int _max = config.GetValue("Api:MaxUrlBytes", DefaultMaxUrlBytes);

    public Task InvokeAsync(HttpContext context)
    {
        var length = (context.Request.Path.Value?.Length ?? 0) + (context.Request.QueryString.Value?.Length ?? 0);
        if (length <= _max) return next(context);
        return Jsend.Fail(414, new Dictionary<string, string>
        {
            ["request"] = $"the URL is {length} characters long; at most {_max} are accepted",
        }).ExecuteAsync(context);
    }
}
