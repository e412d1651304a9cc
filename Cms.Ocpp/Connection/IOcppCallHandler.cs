using Cms.Ocpp.Framing;
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

    /// <summary>
    /// A CALL read straight into a command (<see cref="CallFrame.Command"/>), for the frames that are most of a charger's
    /// traffic; null to read it the general way (JSON tree, schema, <see cref="HandleAsync"/>). A reader may answer null
    /// for any frame, but must never make a command of one the general way would reject.
    /// </summary>
    CallFrame? TryReadCall(OcppConnectionInfo connection, string text) => null;

    /// <summary>Answers a CALL that <see cref="TryReadCall"/> read into a command. A ValueTask: these are the frequent
    /// CALLs, mostly answered synchronously, and a Task per answer was one more allocation per message.</summary>
    ValueTask<JObject> HandleCommandAsync(OcppConnectionInfo connection, CallFrame call, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{call.Action} was read into a command no one answers");
}
