using Cms.Core.Domain.Connectors;
using Cms.Core.Resources;

namespace Cms.Core.Domain.Sessions;

/// <summary>/v2/charging_sessions: one car on one connector, from start (POST) to stop (PATCH meterStop/ocppTransactionStop or DELETE).</summary>
public static class SessionResource
{
    public static readonly string[] RateUnits = ["W", "kW", "A"];

    /// <summary>Integer seconds from sessionStart to sessionEnd, or to "@now" (the injected clock) while open.</summary>
    public const string DurationSql =
        "CAST(ROUND((julianday(COALESCE(t.sessionEnd, @now)) - julianday(t.sessionStart)) * 86400) AS INTEGER)";

    /// <summary>kWh: meterStop − (meterStart or first register) once stopped with a reading, else what meter values measured.</summary>
    public const string EnergySql =
        "CASE WHEN t.meterStop IS NOT NULL AND COALESCE(t.meterStart, t.firstMeterRegister) IS NOT NULL " +
        "THEN CASE WHEN t.meterStop - COALESCE(t.meterStart, t.firstMeterRegister) > 0 THEN t.meterStop - COALESCE(t.meterStart, t.firstMeterRegister) " +
        "ELSE 0 END ELSE t.energyConsumed END";

    public static readonly string[] DurationBuckets = ["<300", ">=300", ">=1800", ">=3600", ">=10800", ">=21600"];
    public static readonly string[] EnergyBuckets = ["<20", ">=20", ">=40", ">=100", ">=200"];

    /// <summary>Every field a session shows. Which of them a request may set is decided by <see cref="CreateFields"/> and <see cref="UpdateFields"/>.</summary>
    private static readonly FieldSpec[] AllFields =
    [
        // "1" (the charger's connector number) or the connector's UUID on the way in; always the UUID on the way out.
        F.Str("connectorId", 64) with { Required = true, Nullable = false, AcceptNumberAsString = true, Immutable = true },
        F.Id("chargePointId") with { Required = true, Nullable = false, Immutable = true },
        F.Enum("chargingRateUnit", RateUnits) with { Default = "kW", Nullable = false, Immutable = true },
        F.Str("idTag", 255),
        F.Num("energyToCharge", min: 0),
        F.Num("maxChargingPowerOfVehicle", min: 0),
        F.Time("maximumChargingTimeDate"),
        F.Num("meterStart", min: 0),
        F.Num("meterStop", min: 0) with { Nullable = false },
        F.Time("ocppTransactionStart"),
        F.Time("ocppTransactionStop") with { Nullable = false },
        F.Str("paymentInfo", 255),
        F.Int("priority", 0, 5) with { Default = 3L, Nullable = false },
        F.Bool("remoteStopOnCompletion"),
        F.Int("transactionId"),
        F.Id("vehicleId"),
        new FieldSpec("startSoC", FieldType.Number) { Min = 0, Max = 100, MaxExclusive = true },
        F.Time("sessionStart") with { ReadOnly = true },
        F.Time("sessionEnd") with { ReadOnly = true },
        F.Id("networkId") with { ReadOnly = true },
        F.Num("currentChargingLoad") with { ReadOnly = true },
        // OCPP 2.0.1: the station's own transaction id (a string; transactionId above stays the CSMS's integer id),
        // its EVSE, what it last said about charging, and the RequestStartTransaction that started it.
        F.Str("stationTransactionId", 36) with { ReadOnly = true },
        F.Int("evseId") with { ReadOnly = true },
        F.Str("chargingState", 32) with { ReadOnly = true },
        F.Int("remoteStartId") with { ReadOnly = true },
    ];

    /// <summary>POST: the spec's request body.</summary>
    public static readonly IReadOnlyList<FieldSpec> CreateFields = AllFields
        .Where(f => f.Name is not ("meterStop" or "ocppTransactionStop" or "startSoC")).ToList();

    /// <summary>PATCH: the spec's list; at least one of them is required.</summary>
    public static readonly string[] UpdatableNames =
        ["priority", "meterStop", "ocppTransactionStop", "paymentInfo", "energyToCharge", "vehicleId", "startSoC", "remoteStopOnCompletion"];

    /// <summary>The updatable fields, plus the fixed and server-set ones so sending them says why it is refused.</summary>
    public static readonly IReadOnlyList<FieldSpec> UpdateFields = AllFields
        .Where(f => UpdatableNames.Contains(f.Name) || f.Immutable || f.ReadOnly)
        .Select(f => f with { Default = null, Required = false })
        .ToList();

    /// <summary>The session resource; <paramref name="vehiclesTable"/> says whether vehicle names can be read (see <see cref="VehicleLink"/>).</summary>
    public static ResourceSpec Build(bool vehiclesTable) => new()
    {
        Name = "charging session",
        Table = "charging_sessions",
        Fields = AllFields,
        Derived =
        [
            new("active", FieldType.Boolean, "t.sessionEnd IS NULL"),
            new("chargingDuration", FieldType.Integer, DurationSql),
            new("energyConsumption", FieldType.Number, EnergySql),
            new("chargerName", FieldType.String,
                "SELECT COALESCE(cp.customName, cp.name) FROM charge_points cp WHERE cp.id = t.chargePointId"),
            new("connectorName", FieldType.String, "SELECT c.name FROM connectors c WHERE c.id = t.connectorId"),
            new("vehicleName", FieldType.String, VehicleLink.NameSql(vehiclesTable)),
        ],
        Filters =
        [
            Filters.Equal("network", "t.networkId"),
            Filters.Equal("chargepoint", "t.chargePointId"),
            Filters.Equal("connector", "t.connectorId"),
            Filters.Equal("vehicle", "t.vehicleId"),
            Filters.Equal("idTag", "t.idTag", FieldType.String),
            Filters.Equal("transaction_id", "t.transactionId", FieldType.Integer),
            Filters.Equal("stationTransactionId", "t.stationTransactionId", FieldType.String),
            Filters.Equal("evseId", "t.evseId", FieldType.Integer),
            Filters.Equal("chargingState", "t.chargingState", FieldType.String),
            Filters.Equal("priority", "t.priority", FieldType.Integer),
            new FilterSpec("status", (values, p) =>
                "t.connectorId IN (SELECT c.id FROM connectors c WHERE c.ocppStatus IN (" + string.Join(", ", values.Select(v =>
                    p.Add(Filters.ParseEnum("status", v, ConnectorResource.OcppStatuses)))) + "))") { Allowed = ConnectorResource.OcppStatuses },
            Filters.Bool("isActive", "t.sessionEnd IS NULL"),
            Filters.Bool("active", "t.sessionEnd IS NULL"),
            // start/end select sessions overlapping the window: not ended before start, started before end.
            new FilterSpec("start", (values, p) =>
                $"t.sessionEnd IS NULL OR t.sessionEnd > {p.Add(Iso.Format(Filters.ParseTime("start", values[^1])))}") { Type = FieldType.DateTime },
            new FilterSpec("end", (values, p) =>
                $"t.sessionStart < {p.Add(Iso.Format(Filters.ParseTime("end", values[^1])))}") { Type = FieldType.DateTime },
            Filters.AtOrAfter("updated", "t.updated"),
            BucketFilter.For("chargingDuration", "t.\"chargingDuration\"", DurationBuckets),
            BucketFilter.For("energyConsumption", "COALESCE(t.\"energyConsumption\", 0)", EnergyBuckets),
        ],
        SearchColumns = ["t.\"chargerName\"", "t.connectorNumber", "t.\"connectorName\"", "t.idTag", "t.\"vehicleName\"",
            "t.transactionId", "t.stationTransactionId", "t.id"],
        // The spec's sort keys: connectorId sorts by the charger's connector number, isActive by "active".
        SortAliases = new Dictionary<string, string> { ["isActive"] = "active", ["connectorId"] = "connectorNumber" },
        DefaultSort = "isActive:desc,sessionStart:desc",
    };

    /// <summary>Query keys that let ended sessions into a list: both are required for that, as the spec says.</summary>
    public static readonly string[] WindowParams = ["start", "end"];

    /// <summary>A list must be scoped by one of these (the spec: "at least one of network, vehicle or transaction_id"; a 2.0.1
    /// station's stationTransactionId names one transaction just as well).</summary>
    public static readonly string[] ScopeParams = ["network", "vehicle", "transaction_id", "stationTransactionId"];
}
