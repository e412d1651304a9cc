using System.Collections.Concurrent;
using Cms.Core.Domain.Delivery;
using Cms.Core.Domain.Ocpp;
using Cms.Ocpp.Csms;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Host.Cluster;

/// <summary>
/// The one way Core reaches a charger (REST sendToCharger, the outbox, SetChargingProfile delivery), made cluster-wide:
/// a charger connected here is called directly; one held by another live node is called through that node over the bus
/// ("call" / "profile" to it, "reply" back). Its answer, CALLERROR or timeout comes back as the same
/// <see cref="ChargerCallOutcome"/>; a node that does not answer in time gives TimedOut.
/// </summary>
public sealed class ClusterChargerGateway : IChargerGateway
{
    private readonly ChargerGateway _local;
    private readonly ChargerPresence _presence;
    private readonly PgBus _bus;
    private readonly TimeSpan _timeout;
    private readonly ILogger<ClusterChargerGateway> _log;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JObject>> _pending = new();

    /// <param name="timeout">How long to wait for the other node: its own call timeout plus a margin.</param>
    public ClusterChargerGateway(ChargerGateway local, ChargerPresence presence, PgBus bus, TimeSpan timeout, ILogger<ClusterChargerGateway> log)
    {
        _local = local;
        _presence = presence;
        _bus = bus;
        _timeout = timeout;
        _log = log;
        bus.Handle("call", m => Serve(m, cancel => _local.CallAsync((string)m["cp"]!, (string)m["action"]!, (JObject)m["payload"]!, cancel)));
        bus.Handle("profile", m => Serve(m, cancel => _local.SetChargingProfileAsync((string)m["cp"]!,
            m["profile"]!.ToObject<ChargingProfileRequest>()!, cancel)));
        bus.Handle("reply", m =>
        {
            if (_pending.TryRemove((string)m["id"]!, out var waiting)) waiting.TrySetResult(m);
            return Task.CompletedTask;
        });
    }

    public bool IsConnected(string chargePointId) => _local.IsConnected(chargePointId) || _presence.RemoteNodeOf(chargePointId) is not null;

    public async Task<ChargerCallOutcome> CallAsync(string chargePointId, string action, JObject payload, CancellationToken cancel = default) =>
        await HolderAsync(chargePointId) is { } node
            ? await RemoteAsync(node, "call", new JObject { ["cp"] = chargePointId, ["action"] = action, ["payload"] = payload }, cancel)
            : await _local.CallAsync(chargePointId, action, payload, cancel);

    public async Task<ChargerCallOutcome> SetChargingProfileAsync(string chargePointId, ChargingProfileRequest profile, CancellationToken cancel = default) =>
        await HolderAsync(chargePointId) is { } node
            ? await RemoteAsync(node, "profile", new JObject { ["cp"] = chargePointId, ["profile"] = JObject.FromObject(profile) }, cancel)
            : await _local.SetChargingProfileAsync(chargePointId, profile, cancel);

    /// <summary>The other node holding the charger, or null to call here (connected here, or nowhere).</summary>
    private async ValueTask<string?> HolderAsync(string chargePointId) =>
        _local.IsConnected(chargePointId) ? null : _presence.RemoteNodeOf(chargePointId) ?? await _presence.LookUpAsync(chargePointId);

    private async Task<ChargerCallOutcome> RemoteAsync(string node, string kind, JObject request, CancellationToken cancel)
    {
        var id = Guid.NewGuid().ToString("N");
        request["id"] = id;
        var waiting = new TaskCompletionSource<JObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = waiting;
        try
        {
            await _bus.PublishAsync(kind, request, node);
            var reply = await waiting.Task.WaitAsync(_timeout, cancel);
            if ((string?)reply["invalid"] is { } invalid) throw new InvalidChargerCallException(invalid);
            return new ChargerCallOutcome((string)reply["status"]!, reply["result"] as JObject, (string?)reply["code"], (string?)reply["description"]);
        }
        catch (TimeoutException)
        {
            return ChargerCallOutcome.Of(ChargerCallOutcome.TimedOut, $"node {node}, which holds the charger's connection, did not answer in time");
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return ChargerCallOutcome.Of(ChargerCallOutcome.Disconnected, "call cancelled before an answer");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Another node's call for a charger connected here: made on its own task (the bus goes on), answered by "reply".</summary>
    private Task Serve(JObject request, Func<CancellationToken, Task<ChargerCallOutcome>> call)
    {
        _ = Task.Run(async () =>
        {
            var reply = new JObject { ["id"] = request["id"] };
            try
            {
                var outcome = await call(CancellationToken.None);
                reply["status"] = outcome.Status;
                reply["result"] = outcome.Result;
                reply["code"] = outcome.ErrorCode;
                reply["description"] = outcome.ErrorDescription;
            }
            catch (InvalidChargerCallException e) { reply["invalid"] = e.Message; }
            catch (Exception e)
            {
                _log.LogWarning(e, "A call relayed for node {NodeId} failed", (string?)request["f"]);
                reply["status"] = ChargerCallOutcome.Disconnected;
                reply["description"] = "the node holding the charger failed to make the call";
            }
            try { await _bus.PublishAsync("reply", reply, (string)request["f"]!); }
            catch (Exception e) { _log.LogWarning(e, "Answering node {NodeId} failed", (string?)request["f"]); }
        });
        return Task.CompletedTask;
    }
}
