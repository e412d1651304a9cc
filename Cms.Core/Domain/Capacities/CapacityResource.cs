using Cms.Core.Resources;

namespace Cms.Core.Domain.Capacities;

/// <summary>/v2/capacities: a time range in which the network's maximum capacity is replaced by another value (kW).</summary>
public static class CapacityResource
{
    public static readonly ResourceSpec Spec = new()
    {
        Name = "capacity",
        Table = "capacities",
        Fields =
        [
            F.Id("networkId") with { Required = true, Nullable = false, Immutable = true },
            // "type: Value: utilityLimit — Purpose of the capacity limitation"
            F.Enum("type", "utilityLimit") with { Default = "utilityLimit", Nullable = false },
            F.Num("maxCapacity", min: 0) with { Required = true, Nullable = false },
            F.Time("start") with { Required = true, Nullable = false },
            F.Time("end") with { Required = true, Nullable = false },
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
