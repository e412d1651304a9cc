using Cms.Core.Domain.Ocpp;
using Cms.Core.Domain.Ocpp.Stations;
using Cms.Ocpp.V201.Types;

namespace Cms.Ocpp.V201.Actions;

public sealed class StatusNotificationRequest
{
    public DateTimeOffset Timestamp { get; init; }
    public string ConnectorStatus { get; init; } = "";
    public int EvseId { get; init; }
    public int ConnectorId { get; init; }
}

/// <summary>Per EVSE and connector: the EVSE (AmpCMS's connector) follows its busiest connector, see <see cref="EvseStatus"/>.</summary>
public sealed class StatusNotificationHandler(EvseStatus evses) : Ocpp201Handler<StatusNotificationRequest, EmptyResponse>
{
    protected override async Task<EmptyResponse> HandleAsync(ChargerAdmitted charger, StatusNotificationRequest request)
    {
        await evses.ChangedAsync(charger, request.EvseId, request.ConnectorId, request.ConnectorStatus, request.Timestamp);
        return new EmptyResponse();
    }
}
