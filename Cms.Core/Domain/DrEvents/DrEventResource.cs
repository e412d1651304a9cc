using Cms.Core.Resources;

namespace Cms.Core.Domain.DrEvents;

/// <summary>
/// /v2/dr_events: demand response. "Load Amount": the value (kW) is the load reduction on the network;
/// "V2G": the value (kW) is the power vehicles provide to the grid.
/// </summary>
public static class DrEventResource
{
    public const string LoadAmount = "Load Amount";
    public const string V2G = "V2G";
    public static readonly string[] Types = [LoadAmount, V2G];

    public static readonly ResourceSpec Spec = new()
    {
        Name = "DR event",
        Table = "dr_events",
        Fields =
        [
            F.Id("networkId") with { Required = true, Nullable = false, Immutable = true },
            F.Time("start") with { Required = true, Nullable = false },
            F.Time("end") with { Required = true, Nullable = false },
            F.Num("value", min: 0) with { Required = true, Nullable = false },
            F.Enum("type", Types) with { Required = true, Nullable = false },
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
