using Cms.Ocpp.Connection;
using Cms.Ocpp.Framing;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Proxy;

/// <summary>
/// The outage queue: transaction messages and meter values AmpCMS answered itself while the upstream was away, replayed
/// in order when it is back. A 1.6 transaction started during the outage keeps AmpCMS's transactionId at the charger and
/// in AmpCMS's session; when its StartTransaction is replayed the upstream assigns its own id, and from then on every
/// frame that carries AmpCMS's id (queued or live: MeterValues, StopTransaction) reaches the upstream with the upstream's id.
/// </summary>
public sealed partial class ProxyRelay
{
    sealed record QueuedCall(CallFrame Call, long? LocalTransactionId);

    readonly Queue<QueuedCall> _outageQueue = new();
    /// <summary>AmpCMS's transactionId → the upstream's, for transactions started during an outage.</summary>
    readonly Dictionary<long, long> _upstreamTransactionIds = [];

    /// <summary>Frames waiting for the upstream (for tests and diagnostics).</summary>
    public int QueuedCount => _outageQueue.Count;

    void Enqueue(CallFrame call, OcppFrame localAnswer)
    {
        if (!MustReachUpstream(call.Action)) return;
        var local = localAnswer is CallResultFrame r && call.Action == "StartTransaction" ? (long?)r.Payload["transactionId"] : null;
        _outageQueue.Enqueue(new QueuedCall(call, local));
    }

    static bool MustReachUpstream(string action) => action is "StartTransaction" or "StopTransaction" or "MeterValues" or "TransactionEvent";

    /// <summary>Sends queued frames in order while the upstream answers; true when the queue is empty and the upstream is up.</summary>
    async Task<bool> ReplayQueueAsync(CancellationToken ct)
    {
        while (_outageQueue.TryPeek(out var next))
        {
            if (!UpstreamConnected) return false;
            var outgoing = next.Call with { Payload = ToUpstreamTransactionIds(next.Call.Action, next.Call.Payload) };
            var answer = await CallUpstreamAsync(outgoing, ct, "AmpCMS_queued");
            if (answer is null) return false;
            if (answer.Value.Frame is CallResultFrame result && next.LocalTransactionId is { } local && result.Payload["transactionId"] is { } upstream)
                _upstreamTransactionIds[local] = (long)upstream;
            _outageQueue.Dequeue();
        }
        return UpstreamConnected;
    }

    /// <summary>1.6 frames about a transaction started during an outage carry AmpCMS's id; the upstream knows it by its own.</summary>
    JObject ToUpstreamTransactionIds(string action, JObject payload)
    {
        if (Version != OcppVersion.Ocpp16 || action is not ("StopTransaction" or "MeterValues")) return payload;
        if (payload["transactionId"] is not { Type: JTokenType.Integer } id || !_upstreamTransactionIds.TryGetValue((long)id, out var upstream))
            return payload;
        var copy = (JObject)payload.DeepClone();
        copy["transactionId"] = upstream;
        return copy;
    }
}
