using Cms.Core.Auth;
using Cms.Core.Resources;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Capacities;

public sealed class CapacityService(CoreContext core) : NetworkInputService(core, CapacityResource.Spec)
{
    public override string? BatchField => "maxCapacityIntervals";

    /// <summary>"Array of objects &lt;= 100 items".</summary>
    public override int MaxBatch => 100;

    /// <summary>
    /// "Search lower bound … Defaults to current time in UTC"; "upper bound … Defaults to current time in UTC plus 12 hours".
    /// With one bound given, the other keeps that 12-hour width from it, so a past end alone is not an inverted window.
    /// </summary>
    public override Task<(List<JObject> Items, long Total)> ListAsync(Caller caller, ListRequest request)
    {
        var width = TimeSpan.FromHours(12);
        var filters = new Dictionary<string, IReadOnlyList<string>>(request.Filters);
        var start = filters.TryGetValue("start", out var s) ? Filters.ParseTime("start", s[^1]) : (DateTimeOffset?)null;
        var end = filters.TryGetValue("end", out var e) ? Filters.ParseTime("end", e[^1]) : (DateTimeOffset?)null;
        filters.TryAdd("start", [Iso.Format(start ?? (end is { } givenEnd ? givenEnd - width : Now))]);
        filters.TryAdd("end", [Iso.Format(end ?? (start ?? Now) + width)]);
        return base.ListAsync(caller, new ListRequest
        {
            Limit = request.Limit, Offset = request.Offset, Sort = request.Sort, Search = request.Search, Filters = filters,
        });
    }

    /// <summary>"Submitted capacity cannot be less than the network.maxCapacity."</summary>
    protected override void CheckAgainstNetwork(IDictionary<string, object?> network, IDictionary<string, object?> values,
        string prefix, Dictionary<string, string> errors)
    {
        if (values.TryGetValue("maxCapacity", out var v) && v is double capacity && network.Double("maxCapacity") is { } networkMax
            && capacity < networkMax)
            errors[prefix + "maxCapacity"] = $"cannot be less than the network's maxCapacity ({networkMax.ToString(System.Globalization.CultureInfo.InvariantCulture)} kW)";
    }
}
