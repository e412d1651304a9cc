using Cms.Core.Resources;

namespace Cms.Core.Domain.Planning;

/// <summary>A measured power series of a network (kW at a timestamp): baseloads and solar meterings share this shape.</summary>
public static class MeteredLoadResource
{
    public static ResourceSpec Spec(string name, string table) => new()
    {
        Name = name,
        Table = table,
        Fields =
        [
            F.Id("networkId") with { Required = true, Nullable = false, Immutable = true },
            F.Time("timestamp") with { Required = true, Nullable = false },
            F.Num("value", min: 0) with { Required = true, Nullable = false },
        ],
        Filters = [Filters.Equal("network", "t.networkId")],
        DefaultSort = "timestamp:asc",
    };
}
