namespace Cms.Core.Domain.MeterValues;

/// <summary>A session's newest measured power (kW) at the meter's timestamp; published after the batch is stored.</summary>
public sealed record PowerMeasured(string CustomerId, string NetworkId, string ChargePointId, string? ConnectorId, string SessionId,
    double Kw, DateTimeOffset At);
