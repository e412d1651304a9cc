using Cms.Core.Domain.Ocpp;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.V201.Actions;

/// <summary>
/// A notification AmpCMS acknowledges and keeps: every frame is in the OCPP message log (GET /v2/ocpp_messages,
/// filterable by operationType), which is where operators read firmware, log and monitoring reports.
/// </summary>
public abstract class AcknowledgedNotification(string action) : IOcpp201Handler
{
    public string Action => action;

    public Task<JObject> HandleAsync(ChargerAdmitted charger, JObject payload) => Task.FromResult(new JObject());
}

public sealed class NotifyEventHandler() : AcknowledgedNotification("NotifyEvent");
public sealed class NotifyMonitoringReportHandler() : AcknowledgedNotification("NotifyMonitoringReport");
public sealed class ReportChargingProfilesHandler() : AcknowledgedNotification("ReportChargingProfiles");
public sealed class FirmwareStatusNotificationHandler() : AcknowledgedNotification("FirmwareStatusNotification");
public sealed class PublishFirmwareStatusNotificationHandler() : AcknowledgedNotification("PublishFirmwareStatusNotification");
public sealed class ReservationStatusUpdateHandler() : AcknowledgedNotification("ReservationStatusUpdate");
public sealed class NotifyDisplayMessagesHandler() : AcknowledgedNotification("NotifyDisplayMessages");
public sealed class NotifyCustomerInformationHandler() : AcknowledgedNotification("NotifyCustomerInformation");
