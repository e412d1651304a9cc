using Newtonsoft.Json;
using Scalar.AspNetCore;

namespace Cms.Api.OpenApi;

/// <summary>/openapi/v2.json (built from the mapped routes on first request) and the Scalar reference at /docs; no token needed.</summary>
public static class OpenApiEndpoints
{
    public const string DocumentPath = "/openapi/v2.json";

    public static void MapOpenApiDocs(this IEndpointRouteBuilder app)
    {
        // Routes are fixed once the host runs, so the document is built once, when first asked for.
        var document = new Lazy<string>(() => OpenApiDocumentBuilder.For(app.ServiceProvider).Build().ToString(Formatting.None));
        app.MapGet(DocumentPath, () => Results.Text(document.Value, "application/json"));
        // Scalar serves its script from the package itself; fonts would come from a CDN, so they are off (works offline).
        app.MapScalarApiReference("/docs", options => options
            .WithTitle("AmpCMS API v2")
            .AddDocument("v2", "AmpCMS API v2", DocumentPath)
            .DisableDefaultFonts());
    }
}
