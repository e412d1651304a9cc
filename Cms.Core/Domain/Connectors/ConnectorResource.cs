using Cms.Core.Resources;

namespace Cms.Core.Domain.Connectors;

/// <summary>/v2/connectors: one outlet of a charge point; its limits bound every session on it.</summary>
public static class ConnectorResource
{
    public static readonly string[] CurrentTypes = ["DC", "AC_phase3_LN", "AC_phase3_LL", "AC_phase1"];
    public static readonly string[] OcppStatuses =
        ["Available", "Preparing", "Charging", "SuspendedEVSE", "SuspendedEV", "Finishing", "Reserved", "Faulted", "Unavailable"];
    public static readonly string[] PlugTypes = ["CCS1", "CCS2", "CHAdeMO", "GB/T", "Type 1", "Type 2", "Tesla"];

    public static readonly ResourceSpec Spec = new()
    {
        Name = "connector",
        Table = "connectors",
        Fields =
        [
            F.Num("maxCapacity", min: 0) with { Required = true, Nullable = false },
            F.Str("name"),
            F.Id("chargePointId") with { Required = true, Nullable = false },
            F.Int("connectorId", 1, int.MaxValue) with { Required = true, Nullable = false },
            F.Enum("currentType", CurrentTypes) with { Required = true, Nullable = false },
            F.Num("voltage", min: 120) with { Required = true, Nullable = false },
            F.Num("powerFactor", 0.01, 1) with { Default = 1.0, Nullable = false },
            F.Enum("plugType", PlugTypes),
            F.Enum("plugPowerLevel", "Level 1", "Level 2", "DCFC"),
            F.Enum("ocppStatus", OcppStatuses),
            F.Time("ocppStatusUpdate"),
            F.Enum("ocpiStatus", "AVAILABLE", "BLOCKED", "CHARGING", "INOPERATIVE", "OUTOFORDER", "PLANNED", "REMOVED", "RESERVED", "UNKNOWN"),
            F.Int("priority", 0, 5) with { Default = 3L },
            F.Num("maxAmperage", min: 0),
        ],
        Derived =
        [
            new("currentChargingLoad", FieldType.Number,
                "SELECT COALESCE(SUM(s.currentChargingLoad), 0) FROM charging_sessions_live s WHERE s.connectorId = t.id")
            {
                // The spec's connector samples send it; the load shown is always the measured one of the live sessions.
                AcceptedInput = F.Num("currentChargingLoad", min: 0),
            },
            new("active", FieldType.Boolean, "EXISTS (SELECT 1 FROM charging_sessions_live s WHERE s.connectorId = t.id)"),
            new("currentLimit", FieldType.Number,
                "SELECT SUM(o.currentLimit) FROM optimizations_current o WHERE o.connector = t.id"),
            new("chargerName", FieldType.String,
                "SELECT COALESCE(cp.customName, cp.name) FROM charge_points cp WHERE cp.id = t.chargePointId"),
            new("networkId", FieldType.Uuid, "SELECT cp.networkId FROM charge_points cp WHERE cp.id = t.chargePointId"),
        ],
        Filters =
        [
            Filters.Equal("network", "t.networkId"),
            Filters.Equal("chargepoint", "t.chargePointId"),
            Filters.Equal("connectorId", "t.connectorId", FieldType.Integer),
            new FilterSpec("vehicle", (values, p) =>
                "t.id IN (SELECT s.connectorId FROM charging_sessions s WHERE s.vehicleId IN (" +
                string.Join(", ", values.Select(v => p.Add(Filters.ConvertQueryValue("vehicle", v, FieldType.Uuid)))) + "))") { Type = FieldType.Uuid },
            Filters.Equal("ocppStatus", "t.ocppStatus", FieldType.String),
            Filters.Equal("priority", "t.priority", FieldType.Integer),
            new FilterSpec("currentType", (values, p) => Filters.ParseEnum("currentType", values[^1], "AC", "DC") == "DC"
                ? "t.currentType = 'DC'" : "t.currentType <> 'DC'") { Allowed = ["AC", "DC"] },
            Filters.Equal("plugType", "t.plugType", FieldType.String),
            Filters.After("updated", "t.updated"),
        ],
        SearchColumns = ["t.name", "t.id", "t.chargerName", "t.chargePointId"],
        DefaultSort = "active:desc,created:desc",
    };
}
