using Cms.Core.Resources;

namespace Cms.Core.Domain.Prices;

/// <summary>
/// /v2/prices/constraints: "a percentage of the network to be made available at a particular price level".
/// Used by the optimizer only when the network's priceConstraintsActive is true.
/// </summary>
public static class PriceConstraintResource
{
    public static readonly ResourceSpec Spec = new()
    {
        Name = "price constraint",
        Table = "price_constraints",
        Fields =
        [
            F.Id("networkId") with { Required = true, Nullable = false, Immutable = true },
            F.Num("energyPrice", -PriceResource.Bound, PriceResource.Bound) with { Required = true, Nullable = false, MaxExclusive = true },
            F.Num("maxCapacityRatio", 0, 1) with { Required = true, Nullable = false },
        ],
        Filters = [Filters.Equal("network", "t.networkId")],
        DefaultSort = "energyPrice:asc",
    };
}
