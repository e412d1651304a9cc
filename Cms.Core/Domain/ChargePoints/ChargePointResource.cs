using Cms.Core.Resources;

namespace Cms.Core.Domain.ChargePoints;

/// <summary>/v2/charge_points: one physical charger, inside a network.</summary>
public static class ChargePointResource
{
    public static readonly string[] OcppStatuses = ["Available", "Faulted", "Unavailable"];

    public const int PasswordMaxLength = 255;

    /// <summary>The deprecated sort_by values the spec lists.</summary>
    public static readonly string[] DeprecatedSortBy =
        ["custom_name", "name", "active", "max_capacity", "current_charging_load", "last_session_started"];

    public static readonly ResourceSpec Spec = new()
    {
        Name = "charge point",
        Table = "charge_points",
        Fields =
        [
            F.Num("maxCapacity", min: 0) with { Required = true, Nullable = false },
            F.Str("name", 40),
            F.Id("networkId") with { Required = true, Nullable = false },
            F.Bool("allowAllIdTags"),
            F.Str("customName", 40),
            F.Str("firmwareVersion", 50),
            F.Num("latitude", -90, 90),
            F.Str("location", 128),
            F.Num("longitude", -180, 180),
            F.Str("modelName"),
            F.Str("ocppId", 255),
            F.Enum("ocppStatus", OcppStatuses),
            F.Time("ocppStatusUpdate"),
            F.Enum("onlineStatus", "OFFLINE", "ONLINE"),
            F.Time("onlineStatusUpdate"),
            F.Num("orientation", 0, 360) with { Default = 0.0 },
            F.Json("position"),
            F.Str("protocol", 255),
            F.Int("securityProfile", 0, 3),
            F.Enum("source", "CMS", "UI"),
            F.Str("vendor"),
            F.Bool("powerSplit"),
            F.Str("paymentTerminalID"),
            // Deprecated and "[Not Implemented]" in the spec: stored as a PBKDF2 hash (ChargePointService), never shown.
            F.Str("password", PasswordMaxLength) with { WriteOnly = true },
            F.Str("meterType"),
            F.Str("serialNumber"),
        ],
        Derived =
        [
            new("currentChargingLoad", FieldType.Number,
                "SELECT COALESCE(SUM(s.currentChargingLoad), 0) FROM charging_sessions_live s WHERE s.chargePointId = t.id"),
            new("active", FieldType.Boolean,
                "EXISTS (SELECT 1 FROM charging_sessions_live s WHERE s.chargePointId = t.id)"),
            new("currentLimit", FieldType.Number,
                "SELECT SUM(o.currentLimit) FROM optimizations_current o WHERE o.chargepointId = t.id"),
            new("numberOfConnectors", FieldType.Integer,
                "SELECT COUNT(*) FROM connectors c WHERE c.chargePointId = t.id"),
            new("current", FieldType.String,
                "SELECT CASE WHEN COUNT(*) = 0 THEN NULL WHEN MIN(CASE WHEN c.currentType = 'DC' THEN 1 ELSE 0 END) = 1 THEN 'DC' " +
                "WHEN MAX(CASE WHEN c.currentType = 'DC' THEN 1 ELSE 0 END) = 1 THEN 'Mix' ELSE 'AC' END FROM connectors c WHERE c.chargePointId = t.id"),
            new("lastSessionStarted", FieldType.DateTime,
                "SELECT MAX(s.sessionStart) FROM charging_sessions s WHERE s.chargePointId = t.id"),
        ],
        Filters =
        [
            Filters.Equal("network", "t.networkId"),
            Filters.After("updated", "t.updated"),
            Filters.Bool("is_active", "EXISTS (SELECT 1 FROM charging_sessions_live s WHERE s.chargePointId = t.id)"),
            Filters.Bool("allow_all_id_tags", "COALESCE(t.allowAllIdTags, 0) = 1"),
            Filters.Bool("powerSplit", "COALESCE(t.powerSplit, 0) = 1"),
            Filters.Equal("current", "t.\"current\"", FieldType.String),
            Filters.Equal("custom_name", "t.customName", FieldType.String),
            Filters.Equal("name", "t.name", FieldType.String),
            Filters.Equal("online_status", "t.onlineStatus", FieldType.String),
            Filters.Equal("vendor", "t.vendor", FieldType.String),
            Filters.Equal("ocppId", "t.ocppId", FieldType.String),
        ],
        SearchColumns = ["t.customName", "t.name", "t.serialNumber", "t.ocppId", "t.vendor", "t.firmwareVersion", "t.id"],
        DefaultSort = "active:desc,created:desc",
        DeprecatedSortBy = DeprecatedSortBy,
    };
}
