namespace Cms.Core.Domain.Alerts;

/// <summary>The charger answered one of our calls with a CALLERROR.</summary>
public sealed record CallErrorReceived(string CustomerId, string NetworkId, string ChargePointId, string? Action, string ErrorCode,
    string? Description, DateTimeOffset At);

/// <summary>The charger answered one of our calls with a CALLRESULT (sent only while a CALL_ERROR of that charger is open).</summary>
public sealed record CallAnswered(string CustomerId, string NetworkId, string ChargePointId, string? Action, DateTimeOffset At);
