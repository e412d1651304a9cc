using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Ocpp;

/// <summary>What became of a call sent to a charger.</summary>
public sealed record ChargerCallOutcome(string Status, JObject? Result, string? ErrorCode, string? ErrorDescription)
{
    public const string Answered = "Answered";      // CALLRESULT received
    public const string CallError = "CallError";    // CALLERROR received
    public const string TimedOut = "TimedOut";
    public const string Queued = "Queued";          // charger offline: sent when it reconnects
    public const string Disconnected = "Disconnected";

    public static ChargerCallOutcome Of(string status, string? description = null) => new(status, null, null, description);
}

/// <summary>A call we refuse to send because its payload breaks the OCPP schema of the charger's protocol.</summary>
public sealed class InvalidChargerCallException(string message) : Exception(message);

/// <summary>
/// The seam between Core and the OCPP transport: Core asks for a call to a charge point, the transport
/// (one connection per charger, one outstanding call at a time) carries it in the charger's protocol.
/// </summary>
public interface IChargerGateway
{
    bool IsConnected(string chargePointId);

    /// <summary>Sends now; <see cref="ChargerCallOutcome.Disconnected"/> when the charger is not connected.</summary>
    Task<ChargerCallOutcome> CallAsync(string chargePointId, string action, JObject payload, CancellationToken cancel = default);

    /// <summary>Sends the profile as SetChargingProfile in the charger's protocol; the outcome's Result holds its answer.</summary>
    Task<ChargerCallOutcome> SetChargingProfileAsync(string chargePointId, Delivery.ChargingProfileRequest profile, CancellationToken cancel = default);
}
