using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Cms.Host.Robustness;

/// <summary>
/// Caps REST request bodies (config Api:MaxRequestBodyBytes, default 4 MiB; Kestrel's own 30 MB would let one client
/// fill memory). Kestrel refuses a bigger body with a 413 BadHttpRequestException, which ErrorHandling answers in the
/// JSend "fail" shape. WebSocket frames are bounded separately (OcppConnectionOptions.MaxMessageBytes).
/// </summary>
public static class RequestLimits
{
    public const long DefaultMaxRequestBodyBytes = 4 * 1024 * 1024;
    private const int KestrelRequestLineBytes = 64 * 1024;

    public static void UseAmpRequestLimits(this WebApplicationBuilder builder)
    {
        var max = builder.Configuration.GetValue("Api:MaxRequestBodyBytes", DefaultMaxRequestBodyBytes);
        builder.Services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = max;
            // Kestrel answers an over-long request line itself, without a JSend body: let UrlLengthLimit judge the
            // URL instead, up to a hard cap far beyond any real query.
            kestrel.Limits.MaxRequestLineSize = KestrelRequestLineBytes;
        });
    }
}
