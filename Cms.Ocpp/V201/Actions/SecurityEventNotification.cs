using Cms.Core.Domain.Ocpp;
using Cms.Ocpp.V201.Types;

namespace Cms.Ocpp.V201.Actions;

public sealed class SecurityEventNotificationRequest
{
    public string Type { get; init; } = "";
    public DateTimeOffset Timestamp { get; init; }
    public string? TechInfo { get; init; }
}

/// <summary>A security event (tamper, firmware, TLS failures…) is also an ocpp_event, where operators watch for them.</summary>
public sealed class SecurityEventNotificationHandler(OcppEventLog events) : Ocpp201Handler<SecurityEventNotificationRequest, EmptyResponse>
{
    public const string EventType = "SecurityEvent";

    protected override async Task<EmptyResponse> HandleAsync(ChargerAdmitted charger, SecurityEventNotificationRequest request)
    {
        await events.RecordAsync(charger.CustomerId, EventType, "Warning", charger.ChargePointId, charger.OcppId, charger.NetworkId,
            $"{request.Type} at {Ocpp201Convert.Time(request.Timestamp)}" + (request.TechInfo is { } info ? $": {info}" : ""));
        return new EmptyResponse();
    }
}
