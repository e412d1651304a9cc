using Cms.Core.Domain.Ocpp;
using Cms.Core.Domain.Proxy;
using Cms.Ocpp.Framing;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Proxy;

/// <summary>
/// The outage queue: transaction messages and meter values AmpCMS answered itself while the upstream was away, stored
/// (table proxy_queue) before the charger gets AmpCMS's answer and replayed in order when the upstream is back, also
/// after the charger left or the host restarted. At least once: a frame whose replay was cut off is sent again.
/// Bounded by <see cref="ProxyOptions.QueueLimit"/> per charger (see <see cref="ProxyQueueStore"/> for what is dropped).
/// A 1.6 transaction started during the outage keeps AmpCMS's transactionId at the charger and in AmpCMS's session;
/// when its StartTransaction is replayed the upstream assigns its own id (stored), and from then on every frame that
/// carries AmpCMS's id (queued or live: MeterValues, StopTransaction) reaches the upstream with the upstream's id.
/// </summary>
public sealed partial class ProxyRelay
{
    /// <summary>AmpCMS's transactionId → the upstream's, for transactions started during an outage.</summary>
    Dictionary<long, long> _upstreamTransactionIds = [];
    /// <summary>False only when the queue is known to be empty: the hot path skips the store.</summary>
    bool _queueMayHaveRows = true;
    int _droppedSinceReplay;

    async Task LoadTransactionIdsAsync()
    {
        try { _upstreamTransactionIds = await _context.Queue.TransactionIdsAsync(ChargePointId); }
        catch (Exception e) { _logger.LogWarning(e, "Proxy: transaction ids of {OcppId} could not be loaded", _admitted.OcppId); }
    }

    ProxyQueueOwner Owner => new(ChargePointId, _admitted.CustomerId, _admitted.OcppId, Version.ToSubprotocol());

    async Task EnqueueAsync(CallFrame call, OcppFrame localAnswer)
    {
        if (!MustReachUpstream(call.Action)) return;
        var local = localAnswer is CallResultFrame r && call.Action == "StartTransaction" ? (long?)r.Payload["transactionId"] : null;
        var result = await _context.Queue.AppendAsync(Owner, call.MessageId, call.Action, OcppFrameSerializer.Serialize(call), local,
            MeterOnly(call), _time.GetUtcNow(), _options.QueueLimit);
        _queueMayHaveRows = true;
        if (result.DroppedAction is not { } dropped) return;
        if (_droppedSinceReplay++ == 0)
            await EventAsync(OcppEventLog.Connection, "Warning",
                $"proxy outage queue full ({_options.QueueLimit} frames): dropped {(result.DroppedTheNewFrame ? "the new" : "the oldest queued")} {dropped}; " +
                "meter-only frames go first, further drops are counted until the queue is replayed");
    }

    static bool MustReachUpstream(string action) => action is "StartTransaction" or "StopTransaction" or "MeterValues" or "TransactionEvent";

    /// <summary>Frames that only carry readings: a full queue gives these up first, never a transaction start or stop.</summary>
    static bool MeterOnly(CallFrame call) => call.Action == "MeterValues"
        || (call.Action == "TransactionEvent" && (string?)call.Payload["eventType"] == "Updated");

    /// <summary>Sends queued frames in order while the upstream answers; true when the queue is empty.</summary>
    async Task<bool> ReplayQueueAsync(CancellationToken ct)
    {
        if (!_queueMayHaveRows) return true;
        while (await _context.Queue.PeekAsync(ChargePointId) is { } next)
        {
            if (!UpstreamConnected) return false;
            if (OcppFrameParser.Parse(next.Frame).Frame is not CallFrame call)
            {
                _logger.LogError("Proxy: unreadable queued frame {Seq} of {OcppId} skipped", next.Seq, _admitted.OcppId);
                await _context.Queue.RemoveAsync(next);
                continue;
            }
            var payload = call.Payload;
            var answer = await CallUpstreamAsync(call with { Payload = ToUpstreamTransactionIds(next.Action, payload) }, ct, "AmpCMS_queued");
            if (answer is null) return false;
            if (answer.Value.Frame is CallResultFrame result && next.LocalTransactionId is { } local && result.Payload["transactionId"] is { } upstream)
            {
                await _context.Queue.SaveTransactionIdAsync(ChargePointId, local, (long)upstream);
                _upstreamTransactionIds[local] = (long)upstream;
            }
            await AfterUpstreamAnswerAsync(next.Action, payload, answer.Value.Frame);
            if (answer.Value.Frame is CallErrorFrame error)
            {
                try { await RefusedAsync(call, error, replayed: true, next.LocalTransactionId, ct); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _logger.LogWarning(e, "Proxy: the refused {Action} of {OcppId} could not be recorded", next.Action, _admitted.OcppId);
                }
            }
            await _context.Queue.RemoveAsync(next);
        }
        _queueMayHaveRows = false;
        if (_droppedSinceReplay > 0)
        {
            await EventAsync(OcppEventLog.Connection, "Warning",
                $"proxy outage queue replayed to the upstream; {_droppedSinceReplay} frames were dropped while it was full");
            _droppedSinceReplay = 0;
        }
        return true;
    }

    /// <summary>A StopTransaction the upstream answered ends the need to translate its transaction's id.</summary>
    async Task AfterUpstreamAnswerAsync(string action, JObject payload, OcppFrame answer)
    {
        if (answer is not CallResultFrame || action != "StopTransaction" || payload["transactionId"] is not { Type: JTokenType.Integer } id
            || !_upstreamTransactionIds.Remove((long)id)) return;
        await _context.Queue.ForgetTransactionIdAsync(ChargePointId, (long)id);
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
