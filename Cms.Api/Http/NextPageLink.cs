using Cms.Core.Resources;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Primitives;

namespace Cms.Api.Http;

/// <summary>
/// A list cut by limit says so: besides "total", a <c>Link: &lt;…offset=n…&gt;; rel="next"</c> header (RFC 8288) points
/// to the next page, so a client that never sent limit (GET /v2/prices has none in the spec) is not left with 100 rows.
/// </summary>
public static class NextPageLink
{
    public static void Add(HttpContext http, ListRequest request, int count, long total)
    {
        var next = request.Offset + count;
        if (count == 0 || next >= total) return;
        var query = NextQuery(http.Request.Query, next, request.Limit);
        var url = UriHelper.BuildRelative(http.Request.PathBase, http.Request.Path, query);
        http.Response.Headers.Append("Link", $"<{url}>; rel=\"next\"");
    }

    private static QueryString NextQuery(IQueryCollection query, int offset, int limit)
    {
        var builder = new QueryBuilder();
        foreach (var (key, values) in query)
            if (key is not ("offset" or "limit"))
                foreach (var value in values) builder.Add(key, value ?? "");
        builder.Add("limit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.Add("offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return builder.ToQueryString();
    }
}
