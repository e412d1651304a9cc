using System.Collections.Concurrent;
using System.Net.WebSockets;
using Cms.Core.Domain.Ocpp;
using Cms.Ocpp.Connection;
using Cms.Ocpp.Csms;

namespace Cms.Ocpp.Proxy;

/// <summary>
/// Wraps the CSMS connection events: a charger admitted in proxy mode gets a relay (and its upstream connection)
/// before its first frame is read. When the charger leaves, its relay stays until its outage queue has reached the
/// upstream (at once when nothing is queued), then closes its upstream connection. A charger that comes back takes over
/// from the relay still replaying its queue. The host stopping ends every relay; the queues stay stored, and each is
/// replayed when its charger reconnects (the credentials a relay forwards upstream are the charger's, kept in memory only).
/// </summary>
public sealed class ProxyConnectionEvents(CsmsConnectionEvents inner, ProxyRelayContext context) : IOcppConnectionEvents, IAsyncDisposable
{
    readonly ConcurrentDictionary<string, ProxyRelay> _relays = new();
    /// <summary>Relays whose charger is gone and whose queue is not yet replayed, by charge point id.</summary>
    readonly ConcurrentDictionary<string, ProxyRelay> _draining = new();
    volatile bool _disposed;

    /// <summary>The live relay of a connection (tests, diagnostics).</summary>
    public ProxyRelay? Find(string connectionId) => _relays.GetValueOrDefault(connectionId);

    /// <summary>How many chargers that are not connected still have a queue being replayed (tests, diagnostics).</summary>
    public int DrainingCount => _draining.Count;

    public async Task OnConnectedAsync(OcppConnection connection, CancellationToken ct)
    {
        if (connection.Info.AuthContext is ChargerAdmitted { Proxy: not null } admitted)
        {
            // One relay per charger owns its queue, so the replay order holds.
            if (_draining.TryRemove(admitted.ChargePointId, out var previous)) await previous.DisposeAsync();
            var relay = new ProxyRelay(connection, context);
            _relays[connection.Info.ConnectionId] = relay;
            connection.Relay = relay;
            await relay.StartAsync();
        }
        await inner.OnConnectedAsync(connection, ct);
    }

    public async Task OnDisconnectedAsync(OcppConnectionInfo connection, WebSocketCloseStatus? status, string? reason)
    {
        if (_relays.TryRemove(connection.ConnectionId, out var relay))
        {
            relay.ChargerLeft();
            // A connection replaced by the charger's newer one: the newer relay owns the queue now.
            if (_relays.Values.Any(r => r.ChargePointId == relay.ChargePointId)) await relay.DisposeAsync();
            else await DrainAsync(relay);
        }
        await inner.OnDisconnectedAsync(connection, status, reason);
    }

    /// <summary>Keeps a relay without its charger until its queue is replayed.</summary>
    async Task DrainAsync(ProxyRelay relay)
    {
        if (_disposed)
        {
            await relay.DisposeAsync(); // the host stops: the queue stays stored for the next start
            return;
        }
        if (_draining.TryGetValue(relay.ChargePointId, out var older) && older != relay && _draining.TryRemove(new(relay.ChargePointId, older)))
            await older.DisposeAsync();
        _draining[relay.ChargePointId] = relay;
        _ = FinishWhenDrainedAsync(relay);
    }

    async Task FinishWhenDrainedAsync(ProxyRelay relay)
    {
        try { await relay.Drained; }
        catch (OperationCanceledException) { return; } // disposed: the charger came back, or the host stops
        _draining.TryRemove(new(relay.ChargePointId, relay));
        await relay.DisposeAsync();
    }

    /// <summary>The host stops: relays replaying a queue end; what they did not send stays stored for the next start.</summary>
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        foreach (var relay in _relays.Values) await relay.DisposeAsync();
        foreach (var relay in _draining.Values) await relay.DisposeAsync();
        _draining.Clear();
    }
}
