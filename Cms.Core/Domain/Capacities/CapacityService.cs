using Cms.Core.Auth;
using Cms.Core.Resources;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Capacities;

public sealed class CapacityService(CoreContext core) : NetworkInputService(core, CapacityResource.Spec)
{
    public override string? BatchField => "maxCapacityIntervals";

    /// <summary>"Array of objects &lt;= 100 items".</summary>
    public override int MaxBatch => 100;

    /// <summary>"Search lower bound … Defaults to current time in UTC"; "upper bound … Defaults to current time in UTC plus 12 hours".</summary>
    public override Task<(List<JObject> Items, long Total)> ListAsync(Caller caller, ListRequest request)
    {
        var now = Now;
        var filters = new Dictionary<string, IReadOnlyList<string>>(request.Filters);
        filters.TryAdd("start", [Iso.Format(now)]);
        filters.TryAdd("end", [Iso.Format(now.AddHours(12))]);
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
