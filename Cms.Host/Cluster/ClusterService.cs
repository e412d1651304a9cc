using System.Threading.Channels;
using Cms.Core.Cluster;
using Cms.Core.Domain;
using Cms.Core.Domain.Configurations;
using Cms.Core.Domain.Delivery;
using Cms.Core.Domain.Ocpp;
using Cms.Core.Domain.Optimizations;
using Cms.Core.Domain.Reports;
using Cms.Core.Storage;
using Dapper;
using Newtonsoft.Json.Linq;

namespace Cms.Host.Cluster;

/// <summary>
/// Joins this node to the cluster before chargers and requests arrive (hosted services start before Kestrel listens):
/// starts the bus, loads charger presence, and wires what must be shared:
/// <list type="bullet">
/// <item>cache invalidation: each <see cref="Database.Changed"/> here is announced ("changed") and raised on the other
/// nodes, after the write that raised it has committed;</item>
/// <item>domain events other nodes act on: a charger connected or booted (the planning node's delivery forgets what it
/// had sent), configuration changed (preset caches); raised there as if local;</item>
/// <item>planning triggers forwarded by other nodes ("plan"), and new reports (wakes the reports job's node).</item>
/// </list>
/// Then, every <see cref="Every"/>: which nodes are alive, the presence rows of dead ones dropped, and the planning lease
/// of every network with open sessions that no node holds is taken (its holder died) and the network replanned.
/// </summary>
public sealed class ClusterService(ClusterDatabase cluster, PgBus bus, PgLeases leases, ChargerPresence presence, ReoptimizationLoop loop, Database db,
    DomainEvents events, IServiceProvider services, ILogger<ClusterService> log) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(2);
    private readonly Channel<string> _changed = Channel.CreateUnbounded<string>(new() { SingleReader = true });

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        bus.Handle("changed", m =>
        {
            PeerApply.Run(() => { foreach (var table in m["tables"]!.Values<string>()) db.NotifyChanged(table!); });
            return Task.CompletedTask;
        });
        db.Changed += table => { if (!PeerApply.Active) _changed.Writer.TryWrite(table); };

        Share<ChargerConnected>(events);
        Share<ChargerBooted>(events);
        Share<ConfigurationChanged>(events);
        bus.Handle("event", m =>
        {
            switch ((string?)m["type"])
            {
                case nameof(ChargerConnected): PeerApply.Run(() => events.Publish(m["event"]!.ToObject<ChargerConnected>()!)); break;
                case nameof(ChargerBooted): PeerApply.Run(() => events.Publish(m["event"]!.ToObject<ChargerBooted>()!)); break;
                case nameof(ConfigurationChanged): PeerApply.Run(() => events.Publish(m["event"]!.ToObject<ConfigurationChanged>()!)); break;
            }
            return Task.CompletedTask;
        });

        if (services.GetService<ReportQueue>() is { } reports)
        {
            reports.Signalled += () => { if (!PeerApply.Active) Send("reports", new JObject()); };
            bus.Handle("reports", _ => { reports.SignalFromPeer(); return Task.CompletedTask; });
        }

        if (services.GetService<OcppProfileDelivery>() is { } delivery) leases.NetworkTaken = delivery.AdoptNetworkAsync;
        bus.Handle("plan", async m =>
        {
            string customerId = (string)m["c"]!, networkId = (string)m["n"]!;
            if (await leases.TryHoldAsync(customerId, networkId)) loop.Mark(customerId, networkId);
        });

        await ClusterSchema.EnsureAsync(cluster.Source);
        await bus.StartAsync();
        await presence.LoadAsync();
        log.LogInformation("Node {NodeId} joined the cluster", bus.NodeId);
        await base.StartAsync(cancellationToken);
    }

    private void Share<T>(DomainEvents events) where T : notnull =>
        events.Subscribe<T>(e =>
        {
            if (!PeerApply.Active) Send("event", new JObject { ["type"] = typeof(T).Name, ["event"] = JObject.FromObject(e) });
        });

    private void Send(string kind, JObject body) => _ = Task.Run(async () =>
    {
        try { await bus.PublishAsync(kind, body); }
        catch (Exception e) { log.LogWarning(e, "Announcing {Kind} to the cluster failed", kind); }
    });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var announcing = AnnounceChangesAsync(stoppingToken);
        using var timer = new PeriodicTimer(Every);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await presence.RefreshLiveNodesAsync();
                    foreach (var chargePointId in await presence.ForgetDeadNodesAsync()) await OfflineAsync(chargePointId);
                    var active = await db.ReadAsync(conn => conn.QueryAsync<(string CustomerId, string NetworkId)>(
                        "SELECT DISTINCT customerId, networkId FROM charging_sessions_live"));
                    foreach (var (customerId, networkId) in await leases.TakeFreeAsync(active))
                    {
                        log.LogInformation("Node {NodeId} took over planning network {NetworkId}", bus.NodeId, networkId);
                        loop.Mark(customerId, networkId);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning(e, "Cluster upkeep failed; retrying");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        await announcing;
    }

    /// <summary>A charger whose node died and that has not reconnected anywhere: offline, as its node would have recorded.</summary>
    private async Task OfflineAsync(string chargePointId)
    {
        var row = await db.ReadAsync(conn => conn.QueryFirstOrDefaultAsync<(string CustomerId, string NetworkId, string OcppId)?>(
            "SELECT customerId, networkId, ocppId FROM charge_points WHERE id = @chargePointId", new { chargePointId }));
        // It may have reconnected in the meantime (its new node wrote the row again): then it is online, leave it.
        if (row is not { } c || c.NetworkId is null || await presence.IsHeldAsync(chargePointId)) return;
        await services.GetRequiredService<ChargerStatus>().DisconnectedAsync(
            new ChargerAdmitted(c.CustomerId, chargePointId, c.NetworkId, c.OcppId, false), "its node left the cluster");
    }

    /// <summary>
    /// Changed tables, announced in batches. <see cref="Database.Changed"/> is raised inside a write, before its commit:
    /// an empty write waits for it to commit first, so no node refills its cache from the rows being replaced.
    /// </summary>
    private async Task AnnounceChangesAsync(CancellationToken stop)
    {
        try
        {
            while (await _changed.Reader.WaitToReadAsync(stop))
            {
                var tables = new HashSet<string>();
                while (_changed.Reader.TryRead(out var table)) tables.Add(table);
                try
                {
                    await db.WriteAsync((_, _) => Task.CompletedTask);
                    await bus.PublishAsync("changed", new JObject { ["tables"] = new JArray(tables) });
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning(e, "Announcing changed tables failed");
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
    }

    /// <summary>A node that stops hands its leases on at once (its jobs are told to stop), rather than when its process ends.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await leases.DisposeAsync();
    }
}
