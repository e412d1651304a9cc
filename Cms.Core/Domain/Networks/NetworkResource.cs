using Cms.Core.Resources;

namespace Cms.Core.Domain.Networks;

/// <summary>/v2/networks: the site with its grid connection and optimization settings.</summary>
public static class NetworkResource
{
    public static readonly string[] Objectives = ["load_sharing", "load_sharing_network_group", "fleet", "vehicle_to_grid", "off"];

    public static readonly ResourceSpec Spec = new()
    {
        Name = "network",
        Table = "networks",
        Fields =
        [
            F.Num("maxCapacity", min: 0) with { Required = true, Nullable = false },
            F.Str("name") with { Required = true, Nullable = false },
            F.Str("location"),
            F.Num("latitude", -90, 90),
            F.Num("longitude", -180, 180),
            F.Str("address"),
            F.Str("country") with { Nullable = false },
            F.Str("city"),
            F.Str("state"),
            F.Str("zipCode", 32) with { AcceptNumberAsString = true },
            F.Enum("objective", Objectives) with { Default = "load_sharing", Nullable = false },
            F.Str("timeZone", 64) with { Default = "UTC", Nullable = false },
            F.Num("maxCapacityBuffer", 0, 1) with { Default = 0.02, Nullable = false, MaxExclusive = true },
            F.Str("webhook", 2048),
            F.Str("webhookSecret", 512) with { WriteOnly = true },
            F.Num("connectorPowerStep", min: 0) with { Nullable = false },
            F.Bool("optimizeWithMeterValue", true) with { Nullable = false },
            F.Bool("solarActive", false) with { Nullable = false },
            F.Bool("closeIdleSessions", true) with { Nullable = false },
            F.Num("reservedPower", min: 0),
            F.Num("defaultEnergyPrice", min: 0),
            F.Num("connectorMinimumLoad", min: 0) with { Default = 1.0, Nullable = false },
            F.Json("fleetSchedule"),
            F.Bool("startSessionsWithMeterValues", true) with { Nullable = false },
            F.Bool("eventLogging", true) with { Nullable = false },
            F.Bool("enableAnalytics", false) with { Nullable = false },
            F.Bool("baseloadActive", false) with { Nullable = false },
            F.Num("baseloadPeak", min: 0),
            F.Num("baseloadAvgYearlyConsumption", min: 0) with { AcceptNumericString = true },
            F.Enum("baseloadBuildingType", "office", "industry"),
            F.Bool("connectorReservedPowerSplit", true) with { Nullable = false },
            F.Bool("priceConstraintsActive", false) with { Nullable = false },
            F.Enum("currency", "USD", "EUR") with { Nullable = false },
            F.Bool("onTimeDeparture"),
            F.Num("geofenceRadius", min: 0),
            F.Bool("ocpiLocation"),
            F.Num("defaultTariff", 0, 1000) with { MaxExclusive = true },
            F.Num("defaultTax", 0, 1),
            F.Enum("vehicleGroupPriority", "fair distribution", "unknown vehicles", "known vehicles"),
        ],
        Derived =
        [
            // Sum of the newest measured power of the network's open sessions, in kW; null when nothing is measured.
            new("currentChargingLoad", FieldType.Number,
                "SELECT SUM(s.currentChargingLoad) FROM charging_sessions_live s WHERE s.networkId = t.id"),
            new("currentLimit", FieldType.Number,
                "SELECT SUM(o.currentLimit) FROM optimizations_current o WHERE o.networkId = t.id"),
        ],
        Filters =
        [
            Filters.After("updated", "t.updated"),
            new FilterSpec("vehicle", (values, p) =>
                "t.id IN (SELECT cp.networkId FROM charging_sessions s JOIN charge_points cp ON cp.id = s.chargePointId " +
                $"WHERE s.vehicleId IN ({string.Join(", ", values.Select(v => p.Add(Filters.ConvertQueryValue("vehicle", v, FieldType.Uuid))))}))") { Type = FieldType.Uuid },
            Filters.Equal("objective", "t.objective", FieldType.String),
        ],
        SearchColumns = ["t.name", "t.location", "t.city", "t.id"],
    };
}
