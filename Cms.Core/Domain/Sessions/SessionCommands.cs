namespace Cms.Core.Domain.Sessions;

/// <summary>
/// A session start as a charger reports it (StartTransaction, TransactionEvent Started) and as POST /v2/charging_sessions
/// carries it: REST parses its JSON into the same fields, so <see cref="SessionService"/> applies one set of rules.
/// </summary>
/// <param name="Connector">The connector's number on the charge point, or its UUID.</param>
public sealed record StartSession(string ChargePointId, string Connector, string? IdTag = null, double? MeterStartKwh = null,
    DateTimeOffset? OcppTransactionStart = null, long? TransactionId = null, string? VehicleId = null, long? Priority = null)
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
        return values;
    }
}

/// <summary>A session end: when the charger stopped, and its meter reading when it gave one (kWh).</summary>
public sealed record CloseSession(DateTimeOffset StoppedAt, double? MeterStopKwh = null)
{
    internal Dictionary<string, object?> ToValues()
    {
        var values = new Dictionary<string, object?> { ["ocppTransactionStop"] = StoppedAt };
        if (MeterStopKwh is { } meterStop) values["meterStop"] = meterStop;
        return values;
    }
}
