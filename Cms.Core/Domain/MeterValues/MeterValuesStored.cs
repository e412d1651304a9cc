namespace Cms.Core.Domain.MeterValues;

/// <summary>Where a stored batch of meter values was linked: charge point, connector, network, vehicle, transaction and session.</summary>
public sealed record MeterValuesStored(string ChargePointId, long ConnectorNumber, string NetworkId, string? VehicleId,
    long? TransactionId, string? SessionId);
