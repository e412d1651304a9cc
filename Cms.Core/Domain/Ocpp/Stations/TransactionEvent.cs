using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Ocpp.Stations;

/// <summary>
/// A station's report about a transaction it numbers itself (OCPP 2.0.1 TransactionEvent), protocol-neutral:
/// <paramref name="MeterValue"/> is in the meterValue shape Core's meter values take (value as text, unit, context…).
/// </summary>
public sealed record TransactionEvent(
    TransactionEventType Type,
    string StationTransactionId,
    DateTimeOffset Timestamp,
    long SeqNo,
    string TriggerReason,
    bool Offline,
    int? EvseId,
    string? IdTag,
    string? ChargingState,
    string? StoppedReason,
    int? RemoteStartId,
    int? NumberOfPhasesUsed,
    double? CableMaxCurrentA,
    JArray MeterValue);

public enum TransactionEventType
{
    Started,
    Updated,
    Ended,
}

/// <summary>What became of a transaction event: the idTag's verdict (when one was sent) and the session it landed in.</summary>
public sealed record TransactionEventOutcome(IdTags.IdTagVerdict? Verdict, string? SessionId, bool Repeated);
