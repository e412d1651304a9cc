namespace Cms.Ocpp.Schemas;

/// <summary>
/// Which actions a charger may send us. A CALL with a known action outside this set (e.g. a
/// charger sending "Reset") is answered NotSupported rather than reaching the handler.
/// </summary>
public static class OcppActions
{
    static readonly HashSet<string> ChargerInitiated16 =
    [
        "Authorize", "BootNotification", "DataTransfer", "DiagnosticsStatusNotification",
        "FirmwareStatusNotification", "Heartbeat", "MeterValues", "StartTransaction",
        "StatusNotification", "StopTransaction",
        // Security extension
        "LogStatusNotification", "SecurityEventNotification", "SignCertificate",
        "SignedFirmwareStatusNotification",
    ];

    static readonly HashSet<string> ChargerInitiated201 =
    [
        "Authorize", "BootNotification", "ClearedChargingLimit", "DataTransfer",
        "FirmwareStatusNotification", "Get15118EVCertificate", "GetCertificateStatus", "Heartbeat",
        "LogStatusNotification", "MeterValues", "NotifyChargingLimit", "NotifyCustomerInformation",
        "NotifyDisplayMessages", "NotifyEVChargingNeeds", "NotifyEVChargingSchedule", "NotifyEvent",
        "NotifyMonitoringReport", "NotifyReport", "PublishFirmwareStatusNotification",
        "ReportChargingProfiles", "ReservationStatusUpdate", "SecurityEventNotification",
        "SignCertificate", "StatusNotification", "TransactionEvent",
    ];

    public static bool IsChargerInitiated(OcppVersion version, string action) =>
        (version == OcppVersion.Ocpp16 ? ChargerInitiated16 : ChargerInitiated201).Contains(action);
}
