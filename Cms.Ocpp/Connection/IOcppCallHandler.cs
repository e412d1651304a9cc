using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Connection;

/// <summary>
/// Answers CALLs from chargers. The payload has already passed schema validation; the returned
/// payload is validated before it is sent (an invalid one becomes an InternalError CALLERROR).
/// Throw <see cref="OcppCallException"/> to answer with a specific CALLERROR. Calls from one
/// connection arrive one at a time, in order.
/// </summary>
public interface IOcppCallHandler
{
    Task<JObject> HandleAsync(OcppConnectionInfo connection, string action, JObject payload, CancellationToken cancellationToken);
}
