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

    /// <summary>
    /// The spec's "default 24 hours range" on start/end lists: neither given, the window before now; only end, the window
    /// before end; only start, the window after it when <paramref name="boundEnd"/> (otherwise open-ended).
    /// </summary>
    public ListRequest WithDefaultWindow(DateTimeOffset now, TimeSpan window, bool boundEnd)
    {
        var hasStart = Filters.TryGetValue("start", out var start);
        var hasEnd = Filters.TryGetValue("end", out var end);
        if (!hasStart && !hasEnd) return WithFilter("start", Iso.Format(now - window));
        if (!hasStart) return WithFilter("start", Iso.Format(Cms.Core.Resources.Filters.ParseTime("end", end![^1]) - window));
        if (!hasEnd && boundEnd) return WithFilter("end", Iso.Format(Cms.Core.Resources.Filters.ParseTime("start", start![^1]) + window));
        return this;
    }

    public static readonly string[] PagingParams = ["limit", "offset", "sort", "search"];

    /// <summary>Reads the query string; unknown parameters are refused so a typo never silently returns everything.</summary>
    public static ListRequest From(IEnumerable<KeyValuePair<string, string[]>> query, ResourceSpec spec,
        IEnumerable<string>? extraParams = null)
    {
        var known = spec.Filters.Select(f => f.Param).Concat(PagingParams).Concat(extraParams ?? []).ToHashSet();
        if (spec.DeprecatedSortBy is not null) known.UnionWith(DeprecatedSortParams);
        var filters = new Dictionary<string, IReadOnlyList<string>>();
        int limit = 100, offset = 0;
        string? sort = null, search = null, sortBy = null, order = null;
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
                case "sort_by" when spec.DeprecatedSortBy is not null: sortBy = Cms.Core.Resources.Filters.ParseEnum("sort_by", last, [.. spec.DeprecatedSortBy]); break;
                case "order" when spec.DeprecatedSortBy is not null: order = Cms.Core.Resources.Filters.ParseEnum("order", last, "ascending", "descending"); break;
                default: filters[key] = values; break;
            }
        }
        if (sortBy is not null || order is not null)
        {
            if (sort is not null) throw ApiFailure.BadRequest(sortBy is not null ? "sort_by" : "order", "is deprecated and cannot be combined with sort");
            sort = DeprecatedSort(spec, sortBy, order);
        }
        return new ListRequest { Limit = limit, Offset = offset, Sort = sort, Search = search, Filters = filters };
    }

    /// <summary>The spec's deprecated pair, still accepted where it documents them (charge points).</summary>
    public static readonly string[] DeprecatedSortParams = ["sort_by", "order"];

    /// <summary>"sort_by=name&amp;order=ascending" is "sort=name:asc"; order defaults to descending, sort_by to the first default sort key.</summary>
    private static string DeprecatedSort(ResourceSpec spec, string? sortBy, string? order)
    {
        var field = sortBy ?? spec.DefaultSort.Split(',')[0].Split(':')[0];
        return $"{field}:{(order == "ascending" ? "asc" : "desc")}";
    }
}
