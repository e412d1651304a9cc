using Cms.Core.Domain.Ocpp;
using Cms.Core.Domain.Ocpp.Stations;
using Cms.Ocpp.V201.Types;

namespace Cms.Ocpp.V201.Actions;

public sealed class NotifyEVChargingNeedsRequest
{
    public int EvseId { get; init; }
    public int? MaxScheduleTuples { get; init; }
    public ChargingNeedsType ChargingNeeds { get; init; } = new();
}

public sealed class ChargingNeedsType
{
    public string RequestedEnergyTransfer { get; init; } = "";
    public DateTimeOffset? DepartureTime { get; init; }
    public AcChargingParametersType? AcChargingParameters { get; init; }
    public DcChargingParametersType? DcChargingParameters { get; init; }
}

public sealed class AcChargingParametersType
{
    public double EnergyAmount { get; init; }
    public double EvMaxCurrent { get; init; }
}

public sealed class DcChargingParametersType
{
    public double? EnergyAmount { get; init; }
    public double EvMaxCurrent { get; init; }
    public double EvMaxVoltage { get; init; }
    public double? EvMaxPower { get; init; }
    public double? StateOfCharge { get; init; }
}

/// <summary>
/// The car's departure, energy and limits go to its session (<see cref="EvChargingNeeds"/>), which replans the network:
/// Accepted, and the new schedule follows as SetChargingProfile. No open transaction on the EVSE: Rejected.
/// </summary>
public sealed class NotifyEVChargingNeedsHandler(EvChargingNeeds needs) : Ocpp201Handler<NotifyEVChargingNeedsRequest, StatusResponse>
{
    protected override async Task<StatusResponse> HandleAsync(ChargerAdmitted charger, NotifyEVChargingNeedsRequest request)
    {
        var n = request.ChargingNeeds;
        var ac = n.AcChargingParameters;
        var dc = n.DcChargingParameters;
        var known = await needs.UpdateAsync(charger, request.EvseId, new EvNeeds(
            n.DepartureTime,
            ac?.EnergyAmount ?? dc?.EnergyAmount,
            dc is null ? null : dc.EvMaxPower ?? dc.EvMaxCurrent * dc.EvMaxVoltage,
            ac?.EvMaxCurrent,
            dc?.StateOfCharge));
        return known
            ? new StatusResponse { Status = "Accepted" }
            : new StatusResponse { Status = "Rejected", StatusInfo = new StatusInfoType { ReasonCode = "NoTransaction", AdditionalInfo = $"EVSE {request.EvseId} has no open transaction" } };
    }
}
