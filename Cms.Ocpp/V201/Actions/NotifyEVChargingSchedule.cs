using Cms.Core.Domain.Ocpp;
using Cms.Ocpp.V201.Types;

namespace Cms.Ocpp.V201.Actions;

public sealed class NotifyEVChargingScheduleRequest
{
    public int EvseId { get; init; }
}

/// <summary>
/// The car's own schedule, planned within the limits we sent: accepted and kept in the message log. AmpCMS plans from
/// the car's needs and the site, so it does not renegotiate here.
/// </summary>
public sealed class NotifyEVChargingScheduleHandler : Ocpp201Handler<NotifyEVChargingScheduleRequest, StatusResponse>
{
    protected override Task<StatusResponse> HandleAsync(ChargerAdmitted charger, NotifyEVChargingScheduleRequest request) =>
        Task.FromResult(new StatusResponse { Status = "Accepted" });
}
