using Cms.Core.Domain.Ocpp;
using Cms.Ocpp.Framing;

namespace Cms.Ocpp.Proxy;

/// <summary>
/// A CALLERROR from the upstream to a charger call. The upstream is the master: the charger gets that CALLERROR (logged
/// under External), an ocpp_event names the call and the error, and AmpCMS's domain follows the refusal (see
/// <see cref="ProxyObserver.RefusedAsync"/>). A 2.0.1 transaction whose Started event was refused is remembered for the
/// connection: its later events are relayed but open no session, unless a resent Started is accepted.
/// </summary>
public sealed partial class ProxyRelay
{
    readonly HashSet<string> _refusedTransactions = [];

    async Task RefusedAsync(CallFrame call, CallErrorFrame error, bool replayed, long? localTransactionId, CancellationToken ct)
    {
        if (!replayed && StationTransaction(call) is ("Started", { } started)) _refusedTransactions.Add(started);
        var outcome = await _context.Observer.RefusedAsync(_info, call.Action, call.Payload, replayed, localTransactionId, ct);
        await EventAsync(OcppEventLog.Connection, "Warning",
            $"upstream CMS refused {(replayed ? "the queued " : "")}{call.Action} ({error.Code}: {error.Description}); {outcome}");
    }

    /// <summary>False for a later event of a 2.0.1 transaction whose start the upstream refused: AmpCMS opens no session for it.</summary>
    bool ShouldObserve(CallFrame call)
    {
        if (StationTransaction(call) is not ({ } type, { } id) || !_refusedTransactions.Contains(id)) return true;
        if (type != "Started") return false;
        _refusedTransactions.Remove(id); // the station resent the start and the upstream accepted it this time
        return true;
    }

    static (string? EventType, string? TransactionId) StationTransaction(CallFrame call) => call.Action == "TransactionEvent"
        ? ((string?)call.Payload["eventType"], (string?)call.Payload["transactionInfo"]?["transactionId"])
        : (null, null);
}
