namespace Cms.Core.Domain.Sessions;

/// <summary>
/// A session start as a charger reports it (StartTransaction, TransactionEvent Started) and as POST /v2/charging_sessions
/// carries it: REST parses its JSON into the same fields, so <see cref="SessionService"/> applies one set of rules.
/// </summary>
/// <param name="Connector">The connector's number on the charge point, or its UUID.</param>
/// <param name="SessionStart">When the session began on the CSMS's timeline, where that differs from what the charger
/// said (<paramref name="OcppTransactionStart"/>, kept as said); null: ocppTransactionStart, else now.</param>
public sealed record StartSession(string ChargePointId, string Connector, string? IdTag = null, double? MeterStartKwh = null,
    DateTimeOffset? OcppTransactionStart = null, long? TransactionId = null, string? VehicleId = null, long? Priority = null,
    DateTimeOffset? SessionStart = null)
{
    internal Dictionary<string, object?> ToValues()
    {
        var values = new Dictionary<string, object?> { ["chargePointId"] = ChargePointId, ["connectorId"] = Connector };
        if (IdTag is not null) values["idTag"] = IdTag;
        if (MeterStartKwh is { } meterStart) values["meterStart"] = meterStart;
        if (OcppTransactionStart is { } start) values["ocppTransactionStart"] = start;
        if (TransactionId is { } transactionId) values["transactionId"] = transactionId;
        if (VehicleId is not null) values["vehicleId"] = VehicleId;
        if (Priority is { } priority) values["priority"] = priority;
        if (SessionStart is { } sessionStart) values["sessionStart"] = sessionStart;
        return values;
    }
}

/// <summary>A session end: when the charger stopped, and its meter reading when it gave one (kWh).</summary>
/// <param name="SessionEnd">When the session ended on the CSMS's timeline, where that differs from what the charger said
/// (<paramref name="StoppedAt"/>, kept as said): then a stop stamped before the session's start ends it at its start
/// instead of being refused. Null: StoppedAt, which must not be before the start.</param>
public sealed record CloseSession(DateTimeOffset StoppedAt, double? MeterStopKwh = null, DateTimeOffset? SessionEnd = null)
{
    internal Dictionary<string, object?> ToValues()
    {
        var values = new Dictionary<string, object?> { ["ocppTransactionStop"] = StoppedAt };
        if (MeterStopKwh is { } meterStop) values["meterStop"] = meterStop;
        if (SessionEnd is { } sessionEnd) values["sessionEnd"] = sessionEnd;
        return values;
    }
}
