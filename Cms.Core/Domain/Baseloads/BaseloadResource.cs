using Cms.Core.Resources;

namespace Cms.Core.Domain.Baseloads;

/// <summary>/v2/baseloads: measured building load (kW) at a timestamp; counted only when the network's baseloadActive.</summary>
public static class BaseloadResource
{
    public static readonly ResourceSpec Spec = new()
    {
        Name = "baseload",
        Table = "baseloads",
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
