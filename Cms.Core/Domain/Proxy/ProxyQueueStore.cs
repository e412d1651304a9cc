using Cms.Core.Storage;
using Dapper;

namespace Cms.Core.Domain.Proxy;

/// <summary>One charger call waiting for the upstream CMS (proxy mode), in the charger's order.</summary>
public sealed record ProxyQueuedCall(string ChargePointId, long Seq, string MessageId, string Action, string Frame, long? LocalTransactionId);

/// <summary>Who a queued call belongs to, as written with it.</summary>
public sealed record ProxyQueueOwner(string ChargePointId, string CustomerId, string OcppId, string Protocol);

/// <summary>What <see cref="ProxyQueueStore.AppendAsync"/> did: the frame that had to go to keep the limit, if any.</summary>
public sealed record ProxyQueueAppend(int Count, string? DroppedAction, bool DroppedTheNewFrame);

/// <summary>
/// The durable outage queue of proxy mode (table proxy_queue) and the transaction ids the upstream assigned to
/// transactions started during an outage (proxy_transaction_ids). Bounded per charger: a full queue drops its oldest
/// meter-only frame; when it holds only transaction frames, the new frame is the one dropped.
/// </summary>
public sealed class ProxyQueueStore(Database db)
{
    public Task<ProxyQueueAppend> AppendAsync(ProxyQueueOwner owner, string messageId, string action, string frame,
        long? localTransactionId, bool droppable, DateTimeOffset queuedAt, int limit) => db.WriteAsync(async (conn, tx) =>
    {
        var count = await conn.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM proxy_queue WHERE \"chargePointId\" = @cp", new { cp = owner.ChargePointId }, tx);
        string? dropped = null;
        if (count >= limit)
        {
            var victim = await conn.QueryFirstOrDefaultAsync<(long Seq, string Action)?>(
                "SELECT \"seq\", \"action\" FROM proxy_queue WHERE \"chargePointId\" = @cp AND \"droppable\" = 1 ORDER BY \"seq\" LIMIT 1",
                new { cp = owner.ChargePointId }, tx);
            if (victim is not { } v) return new ProxyQueueAppend((int)count, action, DroppedTheNewFrame: true);
            await conn.ExecuteAsync("DELETE FROM proxy_queue WHERE \"chargePointId\" = @cp AND \"seq\" = @seq",
                new { cp = owner.ChargePointId, seq = v.Seq }, tx);
            dropped = v.Action;
            count--;
        }
        var seq = await conn.ExecuteScalarAsync<long>(
            "SELECT COALESCE(MAX(\"seq\"), 0) + 1 FROM proxy_queue WHERE \"chargePointId\" = @cp", new { cp = owner.ChargePointId }, tx);
        await conn.ExecuteAsync(
            "INSERT INTO proxy_queue (\"chargePointId\", \"seq\", \"customerId\", \"ocppId\", \"protocol\", \"messageId\", \"action\", \"frame\", " +
            "\"localTransactionId\", \"droppable\", \"queuedAt\") VALUES (@cp, @seq, @customerId, @ocppId, @protocol, @messageId, " +
            "@action, @frame, @localTransactionId, @droppable, @queuedAt)",
            new
            {
                cp = owner.ChargePointId, seq, customerId = owner.CustomerId, ocppId = owner.OcppId, protocol = owner.Protocol, messageId, action, frame, localTransactionId,
                droppable = droppable ? 1 : 0, queuedAt = Resources.Iso.Format(queuedAt),
            }, tx);
        return new ProxyQueueAppend((int)count + 1, dropped, DroppedTheNewFrame: false);
    });

    /// <summary>The oldest queued call of the charger, or null when its queue is empty.</summary>
    public async Task<ProxyQueuedCall?> PeekAsync(string chargePointId)
    {
        var row = await db.ReadAsync(conn => conn.QueryFirstOrDefaultAsync<(long Seq, string MessageId, string Action, string Frame, long? Local)?>(
            "SELECT \"seq\", \"messageId\", \"action\", \"frame\", \"localTransactionId\" FROM proxy_queue WHERE \"chargePointId\" = @chargePointId " +
            "ORDER BY \"seq\" LIMIT 1", new { chargePointId }));
        return row is { } r ? new ProxyQueuedCall(chargePointId, r.Seq, r.MessageId, r.Action, r.Frame, r.Local) : null;
    }

    public Task<long> CountAsync(string chargePointId) => db.ReadAsync(conn => conn.ExecuteScalarAsync<long>(
        "SELECT COUNT(*) FROM proxy_queue WHERE \"chargePointId\" = @chargePointId", new { chargePointId }));

    public Task RemoveAsync(ProxyQueuedCall call) => db.WriteAsync((conn, tx) => conn.ExecuteAsync(
        "DELETE FROM proxy_queue WHERE \"chargePointId\" = @ChargePointId AND \"seq\" = @Seq", new { call.ChargePointId, call.Seq }, tx));

    public Task<Dictionary<long, long>> TransactionIdsAsync(string chargePointId) => db.ReadAsync(async conn =>
        (await conn.QueryAsync<(long Local, long Upstream)>(
            "SELECT \"localTransactionId\", \"upstreamTransactionId\" FROM proxy_transaction_ids WHERE \"chargePointId\" = @chargePointId",
            new { chargePointId })).ToDictionary(r => r.Local, r => r.Upstream));

    public Task SaveTransactionIdAsync(string chargePointId, long local, long upstream) => db.WriteAsync((conn, tx) => conn.ExecuteAsync(
        "INSERT INTO proxy_transaction_ids (\"chargePointId\", \"localTransactionId\", \"upstreamTransactionId\") VALUES (@chargePointId, @local, @upstream) " +
        "ON CONFLICT (\"chargePointId\", \"localTransactionId\") DO UPDATE SET \"upstreamTransactionId\" = excluded.\"upstreamTransactionId\"",
        new { chargePointId, local, upstream }, tx));

    /// <summary>The transaction ended at the upstream: its id pair is no longer needed.</summary>
    public Task ForgetTransactionIdAsync(string chargePointId, long local) => db.WriteAsync((conn, tx) => conn.ExecuteAsync(
        "DELETE FROM proxy_transaction_ids WHERE \"chargePointId\" = @chargePointId AND \"localTransactionId\" = @local",
        new { chargePointId, local }, tx));
}
