using System.Threading.Channels;
using Cms.Core.Cluster;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Npgsql;

namespace Cms.Host.Cluster;

/// <summary>
/// The nodes' message bus: PostgreSQL LISTEN/NOTIFY on one channel, so the cluster needs nothing beside the store.
/// Each message is a JSON object with its kind ("k"), its sender ("f") and, for a message meant for one node, its
/// target ("t"); a node skips its own messages and those for others. NOTIFY carries at most 8000 bytes: a larger message
/// is stored in cluster_spill and only its id is sent. The listening connection is named after the node
/// (application_name), which is how the other nodes see that it is alive (<see cref="LiveNodesAsync"/>).
/// </summary>
public sealed class PgBus(NpgsqlDataSource data, NodeIdentity node, ILogger<PgBus> log) : IAsyncDisposable
{
    public const string Channel = "ampcms_cluster";
    public const string AppNamePrefix = "ampcms-node:";
    private const int MaxInline = 7000;
    private readonly Dictionary<string, Func<JObject, Task>> _handlers = [];
    private readonly Channel<string> _inbox = System.Threading.Channels.Channel.CreateUnbounded<string>(new() { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _listen, _dispatch;

    /// <summary>Raised after each (re)connection of the listener: whatever was announced meanwhile was missed.</summary>
    public event Func<Task>? Reconnected;

    public string NodeId => node.NodeId;

    public void Handle(string kind, Func<JObject, Task> handler) => _handlers[kind] = handler;

    /// <summary>Starts listening; returns once the LISTEN is in place, so nothing published after it is missed.</summary>
    public async Task StartAsync()
    {
        _listen = Task.Run(ListenLoopAsync);
        _dispatch = Task.Run(DispatchLoopAsync);
        await _listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Sends to every other node (target null) or to one.</summary>
    public async Task PublishAsync(string kind, JObject body, string? target = null)
    {
        body["k"] = kind;
        body["f"] = node.NodeId;
        if (target is not null) body["t"] = target;
        var text = body.ToString(Formatting.None);
        await using var conn = await data.OpenConnectionAsync();
        await using var cmd = conn.CreateCommand();
        if (text.Length > MaxInline)
        {
            // Spilled rows are read within moments; an hour-old one was never read (its reader died) and goes.
            cmd.CommandText = "DELETE FROM cluster_spill WHERE created < now() - interval '1 hour'; " +
                "INSERT INTO cluster_spill (id, body) VALUES (@id, @body); SELECT pg_notify(@channel, @note)";
            var id = Guid.NewGuid().ToString("N");
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("body", text);
            text = new JObject { ["spill"] = id, ["t"] = target }.ToString(Formatting.None);
        }
        else cmd.CommandText = "SELECT pg_notify(@channel, @note)";
        cmd.Parameters.AddWithValue("channel", Channel);
        cmd.Parameters.AddWithValue("note", text);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>The ids of the nodes whose listener is connected to PostgreSQL now.</summary>
    public async Task<HashSet<string>> LiveNodesAsync()
    {
        await using var conn = await data.OpenConnectionAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT application_name FROM pg_stat_activity WHERE application_name LIKE @prefix";
        cmd.Parameters.AddWithValue("prefix", AppNamePrefix + "%");
        var nodes = new HashSet<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) nodes.Add(reader.GetString(0)[AppNamePrefix.Length..]);
        return nodes;
    }

    private async Task ListenLoopAsync()
    {
        var first = true;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(data.ConnectionString)
                {
                    ApplicationName = AppNamePrefix + node.NodeId, Pooling = false, KeepAlive = 5,
                };
                await using var conn = new NpgsqlConnection(builder.ConnectionString);
                await conn.OpenAsync(_stop.Token);
                conn.Notification += (_, e) => _inbox.Writer.TryWrite(e.Payload);
                await using (var cmd = new NpgsqlCommand($"LISTEN {Channel}", conn)) await cmd.ExecuteNonQueryAsync(_stop.Token);
                _listening.TrySetResult();
                if (!first && Reconnected is { } reconnected) await reconnected();
                first = false;
                while (!_stop.IsCancellationRequested) await conn.WaitAsync(_stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                log.LogWarning(e, "Cluster listener lost its PostgreSQL connection; reconnecting");
                try { await Task.Delay(TimeSpan.FromSeconds(1), _stop.Token); } catch (OperationCanceledException) { return; }
            }
        }
    }

    private async Task DispatchLoopAsync()
    {
        try
        {
            await foreach (var text in _inbox.Reader.ReadAllAsync(_stop.Token))
            {
                try
                {
                    var message = Parse(text);
                    if ((string?)message["t"] is { } target && target != node.NodeId) continue;
                    if ((string?)message["spill"] is { } id) message = await ReadSpillAsync(id);
                    if (message is null || (string?)message["f"] == node.NodeId) continue;
                    if ((string?)message["k"] is { } kind && _handlers.TryGetValue(kind, out var handler)) await handler(message);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning(e, "Cluster message could not be handled");
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested) { }
    }

    private async Task<JObject?> ReadSpillAsync(string id)
    {
        await using var conn = await data.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("SELECT body FROM cluster_spill WHERE id = @id", conn);
        cmd.Parameters.AddWithValue("id", id);
        return await cmd.ExecuteScalarAsync() is string body ? Parse(body) : null;
    }

    /// <summary>Dates stay strings: a relayed OCPP payload must reach the charger exactly as it was written.</summary>
    private static JObject Parse(string text)
    {
        using var reader = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None };
        return JObject.Load(reader);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var task in new[] { _listen, _dispatch })
            if (task is not null)
                try { await task; } catch (Exception) { /* stopping */ }
        _stop.Dispose();
    }
}
