using Cms.Core.Resources;

namespace Cms.Core.Domain.Prices;

/// <summary>/v2/prices: an energy price ($/kWh) valid from start to end on a network.</summary>
public static class PriceResource
{
    /// <summary>Bound on prices in $/kWh; negative prices exist on spot markets and are allowed.</summary>
    public const double Bound = 1000;

    public static readonly ResourceSpec Spec = new()
    {
        Name = "price",
        Table = "prices",
        Fields =
        [
            F.Id("networkId") with { Required = true, Nullable = false, Immutable = true },
            F.Time("start") with { Required = true, Nullable = false },
            F.Time("end") with { Required = true, Nullable = false },
            F.Num("price", -Bound, Bound) with { Required = true, Nullable = false, MaxExclusive = true },
        ],
        Filters =
        [
            Filters.Equal("network", "t.networkId"),
            NetworkInputService.OverlapStart,
            NetworkInputService.OverlapEnd,
        ],
        DefaultSort = "start:asc",
    };
}
