namespace Cms.Core.Resources;

/// <summary>Paging, sorting, search and filters of one list call, already validated.</summary>
public sealed class ListRequest
{
    public int Limit { get; init; } = 100;
    public int Offset { get; init; }
    public string? Sort { get; init; }
    public string? Search { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Filters { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The same request with a filter the client did not send (a default such as "active only").</summary>
    public ListRequest WithFilter(string param, string value) => new()
    {
        Limit = Limit, Offset = Offset, Sort = Sort, Search = Search,
        Filters = new Dictionary<string, IReadOnlyList<string>>(Filters) { [param] = [value] },
    };

    public static readonly string[] PagingParams = ["limit", "offset", "sort", "search"];

    /// <summary>Reads the query string; unknown parameters are refused so a typo never silently returns everything.</summary>
    public static ListRequest From(IEnumerable<KeyValuePair<string, string[]>> query, ResourceSpec spec,
        IEnumerable<string>? extraParams = null)
    {
        var known = spec.Filters.Select(f => f.Param).Concat(PagingParams).Concat(extraParams ?? []).ToHashSet();
        var filters = new Dictionary<string, IReadOnlyList<string>>();
        int limit = 100, offset = 0;
        string? sort = null, search = null;
        foreach (var (key, values) in query)
        {
            if (!known.Contains(key)) throw ApiFailure.BadRequest(key, "unknown query parameter");
            var last = values[^1];
            switch (key)
            {
                case "limit":
                    if (!int.TryParse(last, out limit) || limit < 1 || limit > 1000)
                        throw ApiFailure.BadRequest("limit", "must be an integer between 1 and 1000");
                    break;
                case "offset":
                    if (!int.TryParse(last, out offset) || offset < 0)
                        throw ApiFailure.BadRequest("offset", "must be a non-negative integer");
                    break;
                case "sort": sort = last; break;
                case "search": search = last; break;
                default: filters[key] = values; break;
            }
        }
        return new ListRequest { Limit = limit, Offset = offset, Sort = sort, Search = search, Filters = filters };
    }
}
