using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Ocpp;

/// <summary>
/// Handles a charger→CSMS call (BootNotification, StatusNotification, …) as if the charger had sent it over its
/// socket; used for messages relayed through the REST API by another system (source "External").
/// Implemented by the OCPP layer, which owns schema validation and the version adapters.
/// </summary>
public interface IChargerMessageProcessor
{
    /// <summary>True when the action is one a charger sends to the CSMS in that protocol.</summary>
    bool IsChargerInitiated(string protocol, string action);

    /// <summary>The CALLRESULT payload, or throws <see cref="InvalidChargerCallException"/> for a CALLERROR.</summary>
    Task<JObject> ProcessAsync(ChargerAdmitted charger, string protocol, string action, JObject payload, CancellationToken cancel = default);

    /// <summary>
    /// Throws <see cref="InvalidChargerCallException"/> when a CSMS→charger call breaks its protocol's schema, so a call
    /// queued for an offline charger is refused now rather than failing when it reconnects.
    /// </summary>
    void CheckOutgoingCall(string protocol, string action, JObject payload) { }
}
