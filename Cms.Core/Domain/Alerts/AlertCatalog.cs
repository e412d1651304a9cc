namespace Cms.Core.Domain.Alerts;

/// <summary>What an alert of one name is by default; the network's alertOptions.{camelCaseName} overrides any of it.</summary>
public sealed record AlertDefinition(string Name, string Urgency, string[] Category, string Description, string Action, bool EnabledByDefault = true);

/// <summary>The spec's alert names, urgencies, categories and statuses, and how OCPP statuses and error codes map onto names.</summary>
public static class AlertCatalog
{
    public const string ChargerDisconnected = "CHARGER_DISCONNECTED";
    public const string CallError = "CALL_ERROR";
    public const string MeterValueLimitViolation = "METER_VALUE_LIMIT_VIOLATION";

    public static readonly string[] Urgencies = ["Very Low", "Low", "Medium", "High", "Very High"];
    public static readonly string[] Categories =
        ["Charge Point", "Connector", "Vehicle", "IdTag", "Operations", "Maintenance", "System Error", "Settings Error", "Hardware", "Software"];
    public static readonly string[] Statuses = ["Triggered", "Acknowledged", "Resolved", "Pending"];
    /// <summary>What PATCH may set (the spec's request enum has no Pending).</summary>
    public static readonly string[] SettableStatuses = ["Triggered", "Acknowledged", "Resolved"];

    private static AlertDefinition D(string name, string urgency, string[] category, string description, string action, bool enabled = true) =>
        new(name, urgency, category, description, action, enabled);

    private static readonly string[] Hw = ["Connector", "Hardware"];

    public static readonly IReadOnlyDictionary<string, AlertDefinition> Definitions = new[]
    {
        D(MeterValueLimitViolation, "Medium", ["Connector", "Operations"], "The connector draws more power than the limit in force.", "Check that the charger applies the charging profiles it is sent."),
        D("UNEXPECTED_CONNECTOR_AND_PHASE_COMBINATION", "Low", ["Connector", "Settings Error"], "The connector reports phases its settings do not have.", "Check the connector's currentType."),
        D(ChargerDisconnected, "High", ["Charge Point", "Operations"], "The charger closed its OCPP connection.", "Check the charger's power and network connection."),
        D("INVALID_ID_TAGS", "Low", ["IdTag"], "A charger presented an id tag that is not accepted.", "Check the id tag list."),
        D("OCPP_MESSAGE_OUT_OF_SYNC", "Low", ["Charge Point", "Software"], "The charger sent a message that does not match its state.", "Check the charger's firmware."),
        D(CallError, "Medium", ["Charge Point", "Software"], "The charger answered a call with a CALLERROR.", "Check whether the charger supports the call and its firmware."),
        D("CHARGE_POINT_HIGH_INTERNAL_TEMPERATURE", "High", ["Charge Point", "Hardware"], "The charge point reports a high internal temperature.", "Check the charger's cooling."),
        D("SUSPENDED_EVSE", "Very Low", ["Connector", "Operations"], "The charger suspended charging.", "None needed unless it lasts.", enabled: false),
        D("SUSPENDED_EV", "Very Low", ["Vehicle"], "The vehicle suspended charging.", "None needed unless it lasts.", enabled: false),
        D("UNAVAILABLE", "Medium", ["Connector", "Operations"], "The connector is Unavailable.", "Check whether it was taken out of service on purpose."),
        D("FAULTED", "High", Hw, "The connector reports Faulted.", "Inspect the charger; reset it if the fault persists."),
        D("CONNECTOR_LOCK_FAILURE", "High", Hw, "The connector's cable lock failed.", "Inspect the connector lock."),
        D("EV_COMMUNICATION_ERROR", "Medium", ["Vehicle", "Hardware"], "Communication with the vehicle failed.", "Check the cable and the vehicle."),
        D("GROUND_FAILURE", "Very High", Hw, "Ground fault detected.", "Take the charger out of service and inspect it."),
        D("HIGH_TEMPERATURE", "High", Hw, "The connector reports a high temperature.", "Check the charger's cooling and cable."),
        D("INTERNAL_ERROR", "High", ["Charge Point", "System Error"], "The charger reports an internal error.", "Reset the charger; contact its vendor if it persists."),
        D("LOCAL_LIST_CONFLICT", "Low", ["IdTag", "Settings Error"], "The charger's local authorization list conflicts with the central one.", "Send the local list again."),
        D("OVER_CURRENT_FAILURE", "Very High", Hw, "Over-current detected.", "Inspect the charger and the vehicle."),
        D("OVER_VOLTAGE", "High", Hw, "Over-voltage detected.", "Check the grid connection."),
        D("POWER_METER_FAILURE", "High", Hw, "The power meter failed.", "Inspect the meter; readings are unreliable."),
        D("POWER_SWITCH_FAILURE", "High", Hw, "The power switch failed.", "Inspect the contactor."),
        D("READER_FAILURE", "Medium", ["Charge Point", "Hardware"], "The id tag reader failed.", "Inspect the RFID reader."),
        D("RESET_FAILURE", "Medium", ["Charge Point", "Software"], "The charger failed to reset.", "Power-cycle the charger."),
        D("UNDER_VOLTAGE", "High", Hw, "Under-voltage detected.", "Check the grid connection."),
        D("WEAK_SIGNAL", "Low", ["Charge Point", "Hardware"], "The charger's wireless signal is weak.", "Check the charger's antenna or network."),
        D("VENDOR_ERROR_CODE", "Medium", ["Charge Point", "System Error"], "The charger reports a vendor-specific error.", "Look up the vendor error code."),
        D("INCORRECT_SETTINGS", "Low", ["Settings Error"], "The charger's settings do not match its configuration.", "Check the charger's configuration."),
    }.ToDictionary(d => d.Name);

    public static readonly string[] Names = [.. Definitions.Keys];

    /// <summary>Connector statuses that are alerts while they last.</summary>
    public static readonly IReadOnlyDictionary<string, string> StatusAlerts = new Dictionary<string, string>
    {
        ["Faulted"] = "FAULTED", ["Unavailable"] = "UNAVAILABLE", ["SuspendedEVSE"] = "SUSPENDED_EVSE", ["SuspendedEV"] = "SUSPENDED_EV",
    };

    /// <summary>Every StatusNotification error code but NoError (1.6; 2.0.1 chargers report the same through the adapter).</summary>
    public static readonly IReadOnlyDictionary<string, string> ErrorCodeAlerts = new Dictionary<string, string>
    {
        ["ConnectorLockFailure"] = "CONNECTOR_LOCK_FAILURE", ["EVCommunicationError"] = "EV_COMMUNICATION_ERROR",
        ["GroundFailure"] = "GROUND_FAILURE", ["HighTemperature"] = "HIGH_TEMPERATURE", ["InternalError"] = "INTERNAL_ERROR",
        ["LocalListConflict"] = "LOCAL_LIST_CONFLICT", ["OtherError"] = "VENDOR_ERROR_CODE", ["OverCurrentFailure"] = "OVER_CURRENT_FAILURE",
        ["OverVoltage"] = "OVER_VOLTAGE", ["PowerMeterFailure"] = "POWER_METER_FAILURE", ["PowerSwitchFailure"] = "POWER_SWITCH_FAILURE",
        ["ReaderFailure"] = "READER_FAILURE", ["ResetFailure"] = "RESET_FAILURE", ["UnderVoltage"] = "UNDER_VOLTAGE", ["WeakSignal"] = "WEAK_SIGNAL",
    };

    /// <summary>Names a status notification raises and clears.</summary>
    public static readonly HashSet<string> StatusNotificationNames = [.. StatusAlerts.Values, .. ErrorCodeAlerts.Values];

    public static int UrgencyRank(string urgency) => Array.IndexOf(Urgencies, urgency);

    /// <summary>CALL_ERROR → callError: the key of alertOptions (the spec's example).</summary>
    public static string OptionKey(string name)
    {
        var parts = name.ToLowerInvariant().Split('_');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }
}
