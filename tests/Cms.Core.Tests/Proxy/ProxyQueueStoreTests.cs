using Cms.Core.Domain.Proxy;
using Cms.Core.Tests.Support;

namespace Cms.Core.Tests.Proxy;

public sealed class ProxyQueueStoreTests
{
    static readonly ProxyQueueOwner Owner = new("cp-1", "customer-1", "ocpp-1", "ocpp1.6");

    static Task<ProxyQueueAppend> Append(ProxyQueueStore store, string id, string action, bool droppable, int limit = 100) =>
        store.AppendAsync(Owner, id, action, $"[2,\"{id}\",\"{action}\",{{}}]", null, droppable, DateTimeOffset.UnixEpoch, limit);

    static async Task<List<string>> DrainAsync(ProxyQueueStore store)
    {
        var ids = new List<string>();
        while (await store.PeekAsync(Owner.ChargePointId) is { } next)
        {
            ids.Add(next.MessageId);
            await store.RemoveAsync(next);
        }
        return ids;
    }

    [Fact]
    public async Task Calls_come_back_in_the_order_they_were_queued_per_charger()
    {
        await using var temp = await TempDatabase.CreateAsync();
        var store = new ProxyQueueStore(temp.Db);
        await Append(store, "a", "StartTransaction", false);
        await store.AppendAsync(Owner with { ChargePointId = "cp-2" }, "other", "MeterValues", "[]", null, true, DateTimeOffset.UnixEpoch, 100);
        await Append(store, "b", "MeterValues", true);
        await Append(store, "c", "StopTransaction", false);

        Assert.Equal(["a", "b", "c"], await DrainAsync(store));
        Assert.Equal(1, await store.CountAsync("cp-2"));
    }

    [Fact]
    public async Task A_full_queue_drops_its_oldest_meter_only_frame_and_else_the_new_frame()
    {
        await using var temp = await TempDatabase.CreateAsync();
        var store = new ProxyQueueStore(temp.Db);
        await Append(store, "start", "StartTransaction", false, limit: 3);
        await Append(store, "m1", "MeterValues", true, limit: 3);
        await Append(store, "m2", "MeterValues", true, limit: 3);

        var full = await Append(store, "stop", "StopTransaction", false, limit: 3);
        Assert.Equal("MeterValues", full.DroppedAction);
        Assert.False(full.DroppedTheNewFrame);
        await Append(store, "stop2", "StopTransaction", false, limit: 3); // drops m2

        var refused = await Append(store, "m3", "MeterValues", true, limit: 3);
        Assert.True(refused.DroppedTheNewFrame);
        Assert.Equal(["start", "stop", "stop2"], await DrainAsync(store));
    }

    [Fact]
    public async Task Upstream_transaction_ids_are_kept_until_forgotten()
    {
        await using var temp = await TempDatabase.CreateAsync();
        var store = new ProxyQueueStore(temp.Db);
        await store.SaveTransactionIdAsync("cp-1", 5, 70000);
        await store.SaveTransactionIdAsync("cp-1", 5, 70001);
        await store.SaveTransactionIdAsync("cp-1", 6, 70002);
        Assert.Equal(new Dictionary<long, long> { [5] = 70001, [6] = 70002 }, await store.TransactionIdsAsync("cp-1"));
        await store.ForgetTransactionIdAsync("cp-1", 5);
        Assert.Equal(new Dictionary<long, long> { [6] = 70002 }, await store.TransactionIdsAsync("cp-1"));
    }
}
