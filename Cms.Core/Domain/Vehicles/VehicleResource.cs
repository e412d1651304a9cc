using Cms.Core.Resources;

namespace Cms.Core.Domain.Vehicles;

/// <summary>/v2/vehicles: a fleet vehicle; not tied to a network, its battery data feeds fleet optimization.</summary>
public static class VehicleResource
{
    /// <summary>Fields whose change alters the energy a vehicle needs or when: they trigger reoptimization.</summary>
    public static readonly string[] OptimizationFields = ["departureTime", "stateOfCharge", "targetStateOfCharge"];

    /// <summary>The spec's sort enum names targetStateOfCharge "targetSOC".</summary>
    public static readonly IReadOnlyDictionary<string, string> SortAliases = new Dictionary<string, string>
    {
        ["targetSOC"] = "targetStateOfCharge",
    };

    public static readonly ResourceSpec Spec = new()
    {
        Name = "vehicle",
        Table = "vehicles",
        Fields =
        [
            F.Str("name") with { Required = true, Nullable = false },
            F.Str("VIN", 64),
            F.Str("customerVehicleId"),
            F.Time("departureTime"),
            // Strictly positive: checked by the service, the field engine has inclusive bounds only.
            F.Num("batteryCapacity", min: 0) with { Nullable = false },
            F.Str("location"),
            F.Num("maxChargingPower", min: 0) with { Nullable = false },
            F.Num("stateOfCharge", 0, 100) with { Default = 0.0, Nullable = false },
            F.Num("targetStateOfCharge", 0, 100) with { Default = 100.0, Nullable = false },
            F.Str("group"),
            F.Id("insideDepot"),
            F.Str("make"),
            F.Str("model"),
            F.Int("year", 1900, 2100),
            F.Str("licensePlate", 32),
            // Set by a telematics integration, never by the client; the spec sorts by it.
            F.Str("integrationId") with { ReadOnly = true },
        ],
        Derived =
        [
            new("active", FieldType.Boolean, "EXISTS (SELECT 1 FROM charging_sessions_live s WHERE s.vehicleId = t.id)"),
        ],
        Filters =
        [
            Filters.Equal("group", "t.\"group\"", FieldType.String),
            Filters.After("updated", "t.updated"),
        ],
        // idTagNames is searched too, by the service (an EXISTS over id_tags, not a column).
        SearchColumns = ["t.name", "t.\"licensePlate\"", "t.\"VIN\"", "t.\"group\"", "t.make", "t.model", "CAST(t.year AS TEXT)", "t.id"],
        DefaultSort = "created:desc",
    };
}
