using Cms.Core.Domain.Ocpp;
using Cms.Core.Domain.Ocpp.Stations;
using Cms.Ocpp.V201.Types;

namespace Cms.Ocpp.V201.Actions;

public sealed class TransactionEventRequest
{
    public string EventType { get; init; } = "";
    public DateTimeOffset Timestamp { get; init; }
    public string TriggerReason { get; init; } = "";
    public long SeqNo { get; init; }
    public bool? Offline { get; init; }
    public int? NumberOfPhasesUsed { get; init; }
    public double? CableMaxCurrent { get; init; }
    public TransactionType TransactionInfo { get; init; } = new();
    public IdTokenType? IdToken { get; init; }
    public EvseType? Evse { get; init; }
    public List<MeterValueType>? MeterValue { get; init; }
}

public sealed class TransactionType
{
    public string TransactionId { get; init; } = "";
    public string? ChargingState { get; init; }
    public string? StoppedReason { get; init; }
    public int? RemoteStartId { get; init; }
}

public sealed class TransactionEventResponse
{
    public IdTokenInfoType? IdTokenInfo { get; init; }
}

/// <summary>
/// Started/Updated/Ended of the station's transaction, into the one session <see cref="StationTransactions"/> keeps for
/// it. The answer carries idTokenInfo whenever an idToken was sent.
/// </summary>
public sealed class TransactionEventHandler(StationTransactions stationTransactions)
    : Ocpp201Handler<TransactionEventRequest, TransactionEventResponse>
{
    protected override async Task<TransactionEventResponse> HandleAsync(ChargerAdmitted charger, TransactionEventRequest r)
    {
        var outcome = await stationTransactions.HandleAsync(charger, new TransactionEvent(
            Enum.Parse<TransactionEventType>(r.EventType), r.TransactionInfo.TransactionId, r.Timestamp, r.SeqNo, r.TriggerReason,
            r.Offline ?? false, r.Evse?.Id, IdTokens.TagOf(r.IdToken), r.TransactionInfo.ChargingState, r.TransactionInfo.StoppedReason,
            r.TransactionInfo.RemoteStartId, r.NumberOfPhasesUsed, r.CableMaxCurrent, Ocpp201Convert.MeterValues(r.MeterValue)));
        if (r.IdToken is null) return new TransactionEventResponse();
        return new TransactionEventResponse
        {
            IdTokenInfo = outcome.Verdict is { } verdict ? Ocpp201Convert.IdTokenInfo(verdict) : new IdTokenInfoType { Status = "Accepted" },
        };
    }
}
