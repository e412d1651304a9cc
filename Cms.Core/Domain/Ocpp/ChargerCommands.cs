using Cms.Core.Resources;
using Dapper;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Ocpp;

/// <summary>
/// Calls to chargers on behalf of operators: sent now when the charger is connected, otherwise kept in the
/// outbox and sent in order when it reconnects (the spec: such messages do not expire).
/// </summary>
public sealed class ChargerCommands(CoreContext core, IChargerGateway gateway)
{
    public async Task<ChargerCallOutcome> SendOrQueueAsync(string customerId, string chargePointId, string action, JObject payload,
        CancellationToken cancel = default)
    {
        // Asked even when it looks offline here: with several nodes, the gateway knows best where the charger is.
        var outcome = await gateway.CallAsync(chargePointId, action, payload, cancel);
        if (outcome.Status != ChargerCallOutcome.Disconnected) return outcome;
        await core.Db.WriteAsync((conn, tx) => conn.ExecuteAsync(
            "INSERT INTO ocpp_outbox (id, customerId, created, chargePointId, action, payload, seq) " +
            "VALUES (@id, @customerId, @now, @chargePointId, @action, @payload, (SELECT COALESCE(MAX(seq), 0) + 1 FROM ocpp_outbox))",
            new { id = core.Ids.NewId(), customerId, now = Iso.Format(core.Clock.GetUtcNow()), chargePointId, action, payload = payload.ToString(Formatting.None) }, tx));
        return ChargerCallOutcome.Of(ChargerCallOutcome.Queued, "charger is offline; the call is sent when it reconnects");
    }

    /// <summary>Called when a charger (re)connects: send what waited for it, oldest first, until it drops again.</summary>
    public async Task DeliverQueuedAsync(string chargePointId, CancellationToken cancel = default)
    {
        var pending = await core.Db.ReadAsync(conn => conn.QueryAsync<(string Id, string Action, string Payload)>(
            "SELECT id, action, payload FROM ocpp_outbox WHERE chargePointId = @chargePointId AND sent IS NULL ORDER BY created, COALESCE(seq, 0)",
            new { chargePointId }));
        foreach (var (id, action, payload) in pending)
        {
            var outcome = await gateway.CallAsync(chargePointId, action, JObject.Parse(payload), cancel);
            if (outcome.Status == ChargerCallOutcome.Disconnected) return;
            await core.Db.WriteAsync((conn, tx) => conn.ExecuteAsync("UPDATE ocpp_outbox SET sent = @now WHERE id = @id",
                new { id, now = Iso.Format(core.Clock.GetUtcNow()) }, tx));
        }
    }
}
