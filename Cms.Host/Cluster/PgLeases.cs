using System.Collections.Concurrent;
using Cms.Core.Cluster;
using Newtonsoft.Json.Linq;
using Npgsql;

namespace Cms.Host.Cluster;

/// <summary>
/// Leases as PostgreSQL session advisory locks on one connection of this node's own: a network's planning lease and
/// each background job's lease. A lease is held for as long as that connection lives, so when a node dies (or loses
/// PostgreSQL) the server frees its leases at once and another node takes them on its next try
/// (<see cref="TakeFreeAsync"/> runs every couple of seconds). A trigger for a network held elsewhere is forwarded on
/// the bus ("plan"); the holder plans it, and triggers arriving while a run is queued coalesce in its loop.
/// </summary>
public sealed class PgLeases(NpgsqlDataSource data, PgBus bus, NodeIdentity node, ILogger<PgLeases> log)
    : IPlanningLeases, IJobLeases, IAsyncDisposable
{
    private static readonly TimeSpan JobRetry = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<(string CustomerId, string NetworkId), byte> _networks = new();
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _jobs = new();
    private readonly ConcurrentDictionary<(string CustomerId, string NetworkId), long> _elsewhere = new(); // → when last seen held elsewhere
    private const long ElsewhereFor = 1000; // ms
    private NpgsqlConnection? _conn;
    private volatile bool _stopped;

    /// <summary>Runs when this node takes a network's lease, before it plans the network (delivery adopts its stored state).</summary>
    public Func<string, Task>? NetworkTaken { get; set; }

    public async ValueTask<bool> TryHoldAsync(string customerId, string networkId)
    {
        if (_networks.ContainsKey((customerId, networkId))) return true;
        if (_stopped) return false; // stopping: the trigger is forwarded to a node that goes on
        // Held elsewhere a moment ago: no round trip per trigger (a busy network triggers often). A holder that died
        // meanwhile is replaced by TakeFreeAsync, which does not look here.
        if (_elsewhere.TryGetValue((customerId, networkId), out var seen) && Environment.TickCount64 - seen < ElsewhereFor) return false;
        var taken = await LockedAsync(conn => TryLockAsync(conn, LeaseKeys.Planning, LeaseKeys.Of(customerId + "/" + networkId)));
        if (!taken)
        {
            _elsewhere[(customerId, networkId)] = Environment.TickCount64;
            return false;
        }
        _elsewhere.TryRemove((customerId, networkId), out _);
        if (NetworkTaken is { } adopt) await adopt(networkId);
        _networks[(customerId, networkId)] = 0;
        return true;
    }

    public void Forward(string customerId, string networkId) =>
        _ = Publish("plan", new JObject { ["c"] = customerId, ["n"] = networkId });

    /// <summary>
    /// Takes the lease of each of these networks that no node holds (its holder died, or none planned it yet); returns
    /// the ones taken, which the caller replans.
    /// </summary>
    public async Task<IReadOnlyList<(string CustomerId, string NetworkId)>> TakeFreeAsync(IEnumerable<(string CustomerId, string NetworkId)> networks)
    {
        if (_stopped) return [];
        var wanted = networks.Where(n => !_networks.ContainsKey(n)).ToList();
        // Also the lease connection's health check: a lost connection is noticed here within one round.
        var keys = await LockedAsync(async conn =>
        {
            await using var cmd = new NpgsqlCommand("SELECT k FROM unnest(@keys) AS k WHERE pg_try_advisory_lock(@ns, k)", conn);
            cmd.Parameters.AddWithValue("keys", wanted.Select(n => LeaseKeys.Of(n.CustomerId + "/" + n.NetworkId)).Distinct().ToArray());
            cmd.Parameters.AddWithValue("ns", LeaseKeys.Planning);
            var taken = new HashSet<int>();
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) taken.Add(reader.GetInt32(0));
            return taken;
        });
        var got = wanted.Where(n => keys.Contains(LeaseKeys.Of(n.CustomerId + "/" + n.NetworkId))).ToList();
        foreach (var n in got)
        {
            if (NetworkTaken is { } adopt) await adopt(n.NetworkId);
            _networks[n] = 0;
        }
        return got;
    }

    public async Task<CancellationToken> AcquireAsync(string job, CancellationToken stop)
    {
        while (true)
        {
            stop.ThrowIfCancellationRequested();
            try
            {
                if (_stopped) await Task.Delay(Timeout.Infinite, stop);
                if (await LockedAsync(conn => TryLockAsync(conn, LeaseKeys.Job, LeaseKeys.Of(job))))
                {
                    var held = CancellationTokenSource.CreateLinkedTokenSource(stop);
                    _jobs[job] = held;
                    log.LogInformation("Node {NodeId} runs the {Job} job", node.NodeId, job);
                    return held.Token;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Taking the {Job} lease failed; retrying", job);
            }
            await Task.Delay(JobRetry, stop);
        }
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection conn, int ns, int key)
    {
        await using var cmd = new NpgsqlCommand("SELECT pg_try_advisory_lock(@ns, @key)", conn);
        cmd.Parameters.AddWithValue("ns", ns);
        cmd.Parameters.AddWithValue("key", key);
        return (bool)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Runs on the lease connection, one at a time. If the connection fails, every lease went with it: the
    /// networks are forgotten and the jobs told to stop, and the next call opens a new connection.</summary>
    private async Task<T> LockedAsync<T>(Func<NpgsqlConnection, Task<T>> work)
    {
        await _gate.WaitAsync();
        try
        {
            if (_conn is null)
            {
                var builder = new NpgsqlConnectionStringBuilder(data.ConnectionString)
                {
                    ApplicationName = "ampcms-leases:" + node.NodeId, Pooling = false, KeepAlive = 5,
                };
                _conn = new NpgsqlConnection(builder.ConnectionString);
                await _conn.OpenAsync();
            }
            return await work(_conn);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or System.IO.IOException)
        {
            await LoseAllAsync();
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task LoseAllAsync()
    {
        if (_conn is { } conn)
        {
            _conn = null;
            try { await conn.DisposeAsync(); } catch (Exception) { /* already broken */ }
        }
        if (!_networks.IsEmpty) log.LogWarning("Node {NodeId} lost its PostgreSQL lease connection: planning leases dropped", node.NodeId);
        _networks.Clear();
        foreach (var job in _jobs.Keys.ToList())
            if (_jobs.TryRemove(job, out var held)) await held.CancelAsync(); // not disposed: the job may still be reading its token
    }

    private async Task Publish(string kind, JObject body)
    {
        try { await bus.PublishAsync(kind, body); }
        catch (Exception e) { log.LogWarning(e, "Forwarding a planning trigger failed"); }
    }

    public async ValueTask DisposeAsync()
    {
        _stopped = true;
        await _gate.WaitAsync();
        try { await LoseAllAsync(); }
        finally { _gate.Release(); }
    }
}
