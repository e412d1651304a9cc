using Cms.Core.Resources;

namespace Cms.Core.Domain.PlannedRoutes;

/// <summary>/v2/planned_routes: a vehicle's (or a vehicle group's) coming trip and what it demands of the battery.</summary>
public static class PlannedRouteResource
{
    public const string Future = "future";
    public const string Live = "live";
    public const string Past = "past";
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(7);
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(24);

    /// <summary>The demand object: kWh the trip uses, km it covers, the state of charge (%) it needs at the start.</summary>
    public static readonly IReadOnlyList<FieldSpec> DemandFields =
    [
        F.Num("energy", min: 0),
        F.Num("distance", min: 0),
        new FieldSpec("stateOfCharge", FieldType.Number) { Min = 0, Max = 100 },
    ];

    public static readonly IReadOnlyList<FieldSpec> Fields =
    [
        F.Id("vehicleId"),
        F.Str("vehicleGroup"),
        F.Str("externalId"),
        F.Time("start") with { Required = true, Nullable = false },
        F.Time("end") with { Required = true, Nullable = false },
        F.Json("demand"),
    ];

    /// <summary>Derived only so lists can sort by them; the API shows them inside "demand".</summary>
    public static readonly string[] DemandSortKeys = ["energy", "distance", "stateOfCharge"];

    /// <summary>The spec; "status" and the default window depend on now, so filters read the clock.</summary>
    public static ResourceSpec Build(TimeProvider clock) => new()
    {
        Name = "planned route",
        Table = "planned_routes",
        Fields = Fields,
        Derived =
        [
            new("vehicleName", FieldType.String, "SELECT v.name FROM vehicles v WHERE v.id = t.vehicleId AND v.customerId = t.customerId"),
            .. DemandSortKeys.Select(k => new DerivedField(k, FieldType.Number, $"json_extract(t.demand, '$.{k}')")),
        ],
        Filters =
        [
            Filters.Equal("vehicle", "t.vehicleId"),
            Filters.Equal("vehicle_group", "t.vehicleGroup", FieldType.String),
            // start/end select the routes overlapping the window (defaults: now to now + 24 h, at most a week).
            new FilterSpec("start", (values, p) => $"t.\"end\" >= {p.Add(Iso.Format(Filters.ParseTime("start", values[^1])))}"),
            new FilterSpec("end", (values, p) => $"t.\"start\" <= {p.Add(Iso.Format(Filters.ParseTime("end", values[^1])))}"),
            new FilterSpec("status", (values, p) =>
            {
                var now = p.Add(Iso.Format(clock.GetUtcNow()));
                return string.Join(" OR ", values.Select(v => Filters.ParseEnum("status", v, Future, Live, Past) switch
                {
                    Future => $"t.\"start\" > {now}",
                    Live => $"(t.\"start\" <= {now} AND t.\"end\" > {now})",
                    _ => $"t.\"end\" <= {now}",
                }));
            }),
        ],
        SearchColumns = ["t.externalId", "t.\"vehicleName\"", "t.vehicleGroup", "t.id"],
        DefaultSort = "start:asc",
    };

    public static string StatusAt(DateTimeOffset start, DateTimeOffset end, DateTimeOffset now) =>
        start > now ? Future : end > now ? Live : Past;
}
