using Cms.IntegrationTests.Harness;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cms.IntegrationTests.Robustness;

/// <summary>One REST route the host maps: method and path template ("/v2/networks/{id}").</summary>
public sealed record MappedEndpoint(string Method, string Path, IReadOnlyList<string> Parameters)
{
    public bool HasParameters => Parameters.Count > 0;
    public bool IsWrite => Method is not ("GET" or "HEAD");

    /// <summary>The collection a route's first parameter belongs to: "/v2/networks/{id}" → "/v2/networks".</summary>
    public string Collection => HasParameters ? Path[..(Path.IndexOf('{') - 1)] : Path;

    public string Fill(IReadOnlyDictionary<string, string> values) =>
        Parameters.Aggregate(Path, (path, name) => path.Replace("{" + name + "}", Uri.EscapeDataString(values[name])));

    public override string ToString() => $"{Method} {Path}";
}

/// <summary>
/// The /v2 routes as the running host maps them, so checks over "every endpoint" cover routes other branches add
/// without a hand-kept list.
/// </summary>
public static class MappedEndpoints
{
    public static IReadOnlyList<MappedEndpoint> Of(TestHost host) =>
        host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("v2", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST", "PATCH", "DELETE"])
                .Select(m => new MappedEndpoint(m, "/" + e.RoutePattern.RawText!.Trim('/'),
                    e.RoutePattern.Parameters.Select(p => p.Name).ToList())))
            .DistinctBy(e => (e.Method, e.Path))
            .OrderBy(e => e.Path, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal)
            .ToList();
}
