using Cms.Core.Domain.Ocpp;
using Cms.Core.Domain.Ocpp.Stations;
using Cms.Ocpp.V201.Types;

namespace Cms.Ocpp.V201.Actions;

public sealed class NotifyChargingLimitRequest
{
    public int? EvseId { get; init; }
    public ChargingLimitType ChargingLimit { get; init; } = new();
    public List<ChargingScheduleType>? ChargingSchedule { get; init; }
}

public sealed class ChargingLimitType
{
    public string ChargingLimitSource { get; init; } = "";
    public bool? IsGridCritical { get; init; }
}

public sealed class ChargingScheduleType
{
    public DateTimeOffset? StartSchedule { get; init; }
    public string ChargingRateUnit { get; init; } = "W";
    public List<ChargingSchedulePeriodType> ChargingSchedulePeriod { get; init; } = [];
}

public sealed class ChargingSchedulePeriodType
{
    public int StartPeriod { get; init; }
    public double Limit { get; init; }
}

public sealed class ClearedChargingLimitRequest
{
    public string ChargingLimitSource { get; init; } = "";
    public int? EvseId { get; init; }
}

/// <summary>
/// An external limit becomes a cap the planner keeps (<see cref="ExternalChargingLimits"/>). Its value is the lowest
/// limit of the schedules sent: planning keeps the site safe for the whole time the limit may apply. Without a
/// schedule there is no number to respect; the notice stays in the message log.
/// </summary>
public sealed class NotifyChargingLimitHandler(ExternalChargingLimits limits) : Ocpp201Handler<NotifyChargingLimitRequest, EmptyResponse>
{
    protected override async Task<EmptyResponse> HandleAsync(ChargerAdmitted charger, NotifyChargingLimitRequest request)
    {
        var lowest = (request.ChargingSchedule ?? []).SelectMany(s => s.ChargingSchedulePeriod.Select(p => (s.ChargingRateUnit, p.Limit)))
            .OrderBy(x => x.Limit).Select(x => ((string Unit, double Limit)?)x).FirstOrDefault();
        if (lowest is { } cap)
            await limits.SetAsync(charger, request.EvseId ?? 0, request.ChargingLimit.ChargingLimitSource, cap.Limit, cap.Unit, request.ChargingLimit.IsGridCritical);
        return new EmptyResponse();
    }
}

public sealed class ClearedChargingLimitHandler(ExternalChargingLimits limits) : Ocpp201Handler<ClearedChargingLimitRequest, EmptyResponse>
{
    protected override async Task<EmptyResponse> HandleAsync(ChargerAdmitted charger, ClearedChargingLimitRequest request)
    {
        await limits.ClearAsync(charger, request.ChargingLimitSource, request.EvseId);
        return new EmptyResponse();
    }
}
