using Cms.Core.Resources;

namespace Cms.Core.Domain.Solar;

/// <summary>/v2/solar_meterings: measured solar power (kW) at a timestamp; counted only when the network's solarActive.</summary>
public static class SolarMeteringResource
{
    public static readonly ResourceSpec Spec = new()
    {
        Name = "solar metering",
        Table = "solar_meterings",
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
