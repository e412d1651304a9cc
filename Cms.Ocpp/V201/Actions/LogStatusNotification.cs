using Cms.Core.Domain.Diagnostics;
using Cms.Core.Domain.Ocpp;

namespace Cms.Ocpp.V201.Actions;

public sealed class LogStatusNotificationRequest
{
    public string Status { get; init; } = "";
    public long? RequestId { get; init; }
}

public sealed class LogStatusNotificationResponse;

/// <summary>The station's progress uploading a log asked for with GetLog (POST /v2/diagnostics): the record's status follows it.</summary>
public sealed class LogStatusNotificationHandler(DiagnosticsService diagnostics)
    : Ocpp201Handler<LogStatusNotificationRequest, LogStatusNotificationResponse>
{
    protected override async Task<LogStatusNotificationResponse> HandleAsync(ChargerAdmitted charger, LogStatusNotificationRequest request)
    {
        await diagnostics.StatusChangedAsync(charger, request.Status, request.RequestId);
        return new LogStatusNotificationResponse();
    }
}
