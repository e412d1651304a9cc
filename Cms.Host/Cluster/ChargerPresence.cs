using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Threading.Channels;
using Cms.Core.Cluster;
using Cms.Core.Storage;
using Cms.Ocpp.Csms;
using Newtonsoft.Json.Linq;
using Npgsql;

namespace Cms.Host.Cluster;

/// <summary>
/// Which node holds each charger's WebSocket. The table charger_presence is the record (a starting node loads it; a
/// row names the node and the connection), and each change is announced on the bus in the same transaction, so every
/// node keeps the whole map in memory and <see cref="NodeOf"/> costs no query on the delivery path. A node counts as
/// alive while its bus listener is connected (refreshed by <see cref="RefreshLiveNodesAsync"/>): a dead node's chargers
/// count as disconnected until they reconnect somewhere.
/// <para>Takeover: a charger that connects here while another node holds it is announced ("here"); that node lets go
/// of its old connection without marking the charger offline and closes it.</para>
/// </summary>
public sealed class ChargerPresence
{
    private readonly NpgsqlDataSource _data;
    private readonly PgBus _bus;
    private readonly ChargerGateway _local;
    private readonly Database _db;
    private readonly ILogger<ChargerPresence> _log;
    private readonly ConcurrentDictionary<string, string> _nodeOf = new();   // charge point → node holding it (any node)
    private readonly Channel<Func<Task>> _writes = Channel.CreateUnbounded<Func<Task>>(new() { SingleReader = true });
    private volatile HashSet<string> _live = [];
    private volatile HashSet<string> _livePreviously = [];

    public ChargerPresence(NpgsqlDataSource data, PgBus bus, ChargerGateway local, Database db, ILogger<ChargerPresence> log)
    {
        _data = data;
        _bus = bus;
        _local = local;
        _db = db;
        _log = log;
        _live = [bus.NodeId];
        bus.Handle("here", OnHereAsync);
        bus.Handle("gone", m =>
        {
            var cp = (string)m["cp"]!;
            _nodeOf.TryRemove(new KeyValuePair<string, string>(cp, (string)m["f"]!));
            return Task.CompletedTask;
        });
        bus.Reconnected += AnnounceAllAsync;
        // Awaited by the connection's setup: the row is stored before the charger is marked online.
        local.Attached += (cp, info) =>
        {
            var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Enqueue(async () =>
            {
                try { await AttachedAsync(cp, info.ConnectionId, info.ConnectedAt); }
                finally { stored.TrySetResult(); }
            });
            return stored.Task;
        };
        local.Detached += (cp, conn) => Enqueue(() => DetachedAsync(cp, conn));
        _ = Task.Run(WriteLoopAsync);
    }

    /// <summary>The node holding this charger's connection, if it is another live node.</summary>
    public string? RemoteNodeOf(string chargePointId) =>
        _nodeOf.TryGetValue(chargePointId, out var n) && n != _bus.NodeId && _live.Contains(n) ? n : null;

    /// <summary>Looks the charger up in the table: for a call made before this node heard of its connection.</summary>
    public async Task<string?> LookUpAsync(string chargePointId)
    {
        await using var conn = await _data.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("SELECT node_id FROM charger_presence WHERE charge_point_id = @cp", conn);
        cmd.Parameters.AddWithValue("cp", chargePointId);
        if (await cmd.ExecuteScalarAsync() is not string node) return null;
        _nodeOf.TryAdd(chargePointId, node);
        return node != _bus.NodeId && _live.Contains(node) ? node : null;
    }

    /// <summary>True when some node holds the charger now (its row is back).</summary>
    public async Task<bool> IsHeldAsync(string chargePointId)
    {
        await using var conn = await _data.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("SELECT 1 FROM charger_presence WHERE charge_point_id = @cp", conn);
        cmd.Parameters.AddWithValue("cp", chargePointId);
        return await cmd.ExecuteScalarAsync() is not null;
    }

    public async Task LoadAsync()
    {
        await using var conn = await _data.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("SELECT charge_point_id, node_id FROM charger_presence", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) _nodeOf[reader.GetString(0)] = reader.GetString(1);
        await RefreshLiveNodesAsync();
    }

    public async Task RefreshLiveNodesAsync()
    {
        var live = await _bus.LiveNodesAsync();
        live.Add(_bus.NodeId);
        _live = live;
    }

    private void Enqueue(Func<Task> write) => _writes.Writer.TryWrite(write);

    /// <summary>Presence writes in the order the connections came and went, so a quick reconnect never ends up deleted.</summary>
    private async Task WriteLoopAsync()
    {
        await foreach (var write in _writes.Reader.ReadAllAsync())
        {
            try { await write(); }
            catch (Exception e) { _log.LogWarning(e, "Recording charger presence failed"); }
        }
    }

    private async Task AttachedAsync(string chargePointId, string connectionId, DateTimeOffset connectedAt)
    {
        // It was held elsewhere: what this node cached about its sessions and connectors may be older than that node's writes.
        if (_nodeOf.TryGetValue(chargePointId, out var before) && before != _bus.NodeId) PeerApply.Run(() => _db.NotifyChanged("connectors"));
        _nodeOf[chargePointId] = _bus.NodeId;
        await WriteAsync(chargePointId, connectionId, present: true, connectedAt);
    }

    private async Task DetachedAsync(string chargePointId, string connectionId)
    {
        _nodeOf.TryRemove(new KeyValuePair<string, string>(chargePointId, _bus.NodeId));
        await WriteAsync(chargePointId, connectionId, present: false);
    }

    /// <summary>The row and its announcement in one transaction: NOTIFY is sent on commit, so no node hears of a row it cannot read.</summary>
    private async Task WriteAsync(string chargePointId, string connectionId, bool present, DateTimeOffset? connectedAt = null)
    {
        await using var conn = await _data.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using var cmd = new NpgsqlCommand(present
            ? "INSERT INTO charger_presence (charge_point_id, node_id, connection_id, since) VALUES (@cp, @node, @conn, now()) " +
              "ON CONFLICT (charge_point_id) DO UPDATE SET node_id = excluded.node_id, connection_id = excluded.connection_id, since = now()"
            : "DELETE FROM charger_presence WHERE charge_point_id = @cp AND node_id = @node AND connection_id = @conn", conn, tx);
        cmd.Parameters.AddWithValue("cp", chargePointId);
        cmd.Parameters.AddWithValue("node", _bus.NodeId);
        cmd.Parameters.AddWithValue("conn", connectionId);
        var rows = await cmd.ExecuteNonQueryAsync();
        if (rows > 0)
        {
            var note = new JObject { ["k"] = present ? "here" : "gone", ["f"] = _bus.NodeId, ["cp"] = chargePointId, ["at"] = connectedAt?.UtcTicks };
            await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @note)", conn, tx);
            notify.Parameters.AddWithValue("channel", PgBus.Channel);
            notify.Parameters.AddWithValue("note", note.ToString(Newtonsoft.Json.Formatting.None));
            await notify.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
    }

    private Task OnHereAsync(JObject message)
    {
        var chargePointId = (string)message["cp"]!;
        var node = (string)message["f"]!;
        _nodeOf[chargePointId] = node;
        if (!_live.Contains(node)) _live = [.. _live, node];
        // Only a connection older than that one: a charger that came back here meanwhile keeps its new connection.
        if ((long?)message["at"] is { } at && _local.Release(chargePointId, new DateTimeOffset(at, TimeSpan.Zero)) is { } old)
        {
            _log.LogInformation("Charger {ChargePointId} reconnected to node {NodeId}: closing its connection here", chargePointId, node);
            // Not awaited: the close handshake may take a while, and the bus has other messages to hand on.
            _ = old.CloseAsync(WebSocketCloseStatus.PolicyViolation, "Replaced by a connection on another node");
        }
        return Task.CompletedTask;
    }

    /// <summary>After the listener reconnected: what this node holds is written and announced again (another node may
    /// have counted this one dead and dropped its rows meanwhile).</summary>
    private Task AnnounceAllAsync()
    {
        foreach (var (cp, conn) in _local.Current()) Enqueue(() => WriteAsync(cp, conn, present: true, DateTimeOffset.MinValue));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Drops the rows of nodes gone for two rounds in a row (a listener that is only reconnecting is not gone) and
    /// returns their chargers, which no node holds now. Each row is returned to one node only (DELETE … RETURNING).
    /// </summary>
    public async Task<IReadOnlyList<string>> ForgetDeadNodesAsync()
    {
        var live = _live.Concat(_livePreviously).Distinct().ToArray();
        _livePreviously = _live;
        await using var conn = await _data.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("DELETE FROM charger_presence WHERE NOT (node_id = ANY(@live)) RETURNING charge_point_id", conn);
        cmd.Parameters.AddWithValue("live", live);
        var orphans = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) orphans.Add(reader.GetString(0));
        return orphans;
    }
}
