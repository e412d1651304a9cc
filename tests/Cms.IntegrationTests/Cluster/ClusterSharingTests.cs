using System.Collections.Concurrent;
using Cms.Core.Cluster;
using Cms.Core.Storage;
using Cms.Host.Cluster;
using Cms.IntegrationTests.Harness;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Cms.IntegrationTests.Cluster;

/// <summary>
/// Two nodes in this process on one PostgreSQL database: a cache invalidation raised on one node is raised on the other
/// (and not sent back), and a background job's lease is held by one node at a time and passes on when that node stops.
/// </summary>
public sealed class ClusterSharingTests
{
    private static async Task<(TestHost A, TestHost B)> TwoNodesAsync(TestStore store)
    {
        var a = await TestHost.StartAsync(null, store.Args);
        var b = await TestHost.StartAsync(null, store.Args);
        return (a, b);
    }

    private static BlockingCollection<string> ChangedTables(TestHost host)
    {
        var tables = new BlockingCollection<string>();
        host.Services.GetRequiredService<Database>().Changed += tables.Add;
        return tables;
    }

    private static string Next(BlockingCollection<string> tables, string wanted, List<string> seen)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var table = tables.Take(timeout.Token);
            seen.Add(table);
            if (table == wanted) return table;
        }
    }

    [ClusterFact]
    public async Task A_change_on_one_node_drops_the_other_nodes_caches_without_echo()
    {
        await using var store = await TestStore.CreateAsync();
        var (a, b) = await TwoNodesAsync(store);
        await using (a)
        await using (b)
        {
            var onA = ChangedTables(a);
            var onB = ChangedTables(b);
            var network = await b.Admin.Network(name: "shared");
            var seenOnA = new List<string>();
            Assert.Equal("networks", Next(onA, "networks", seenOnA));

            // A change on A, announced after whatever A would have sent back: B hears it, and heard "networks" only once (its own).
            await a.Admin.ChargePoint(network.Id());
            var seenOnB = new List<string>();
            Next(onB, "charge_points", seenOnB);
            Assert.Single(seenOnB, t => t == "networks");
        }
    }

    /// <summary>The nodes whose lease connection holds this job's advisory lock in this database, from PostgreSQL's own lock table.</summary>
    private static async Task<List<string>> HoldersAsync(string postgres, string job)
    {
        await using var conn = new NpgsqlConnection(postgres);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid " +
            "WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND l.objsubid = 2 AND l.classid::bigint = @ns AND l.objid::bigint = (@key::bigint & 4294967295)", conn);
        cmd.Parameters.AddWithValue("ns", (long)LeaseKeys.Job);
        cmd.Parameters.AddWithValue("key", LeaseKeys.Of(job));
        var holders = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) holders.Add(reader.GetString(0).Split(':')[1]);
        return holders;
    }

    private static string NodeId(TestHost host) => host.Services.GetRequiredService<NodeIdentity>().NodeId;

    [ClusterFact]
    public async Task Each_background_job_runs_on_one_node_and_moves_to_the_other_when_its_node_stops()
    {
        await using var store = await TestStore.CreateAsync();
        var postgres = store.ConnectionString!;
        var a = await TestHost.StartAsync(null, store.Args);
        await using var b = await TestHost.StartAsync(null, store.Args);
        CancellationToken heldByA;
        await using (a)
        {
            // The host's own jobs: each held by exactly one of the two nodes.
            foreach (var job in new[] { "idle-sessions", "reports" })
            {
                var holders = await Ocpp.OcppKit.EventuallyAsync(() => HoldersAsync(postgres, job), h => h.Count > 0, job + " held");
                Assert.Single(holders);
                Assert.Contains(holders[0], new[] { NodeId(a), NodeId(b) });
            }
            heldByA = await a.Services.GetRequiredService<IJobLeases>().AcquireAsync("test-job", CancellationToken.None);
            var onB = b.Services.GetRequiredService<IJobLeases>().AcquireAsync("test-job", CancellationToken.None);
            Assert.Equal([NodeId(a)], await HoldersAsync(postgres, "test-job"));
            Assert.False(onB.IsCompleted);
            await a.StopAsync();
            await onB.WaitAsync(TimeSpan.FromSeconds(30));
        }
        // A's sessions ended with it: its job stopped, and B holds every job now.
        Assert.True(heldByA.IsCancellationRequested);
        foreach (var job in new[] { "test-job", "idle-sessions", "reports" })
            Assert.Equal([NodeId(b)], await Ocpp.OcppKit.EventuallyAsync(() => HoldersAsync(postgres, job), h => h.Count == 1 && h[0] == NodeId(b), job + " moved to B"));
    }
}
