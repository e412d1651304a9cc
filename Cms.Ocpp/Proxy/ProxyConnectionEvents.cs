using System.Collections.Concurrent;
using System.Net.WebSockets;
using Cms.Core.Domain.Ocpp;
using Cms.Ocpp.Connection;
using Cms.Ocpp.Csms;
using Cms.Ocpp.Schemas;
using Microsoft.Extensions.Logging;

namespace Cms.Ocpp.Proxy;

/// <summary>
/// Wraps the CSMS connection events: a charger admitted in proxy mode gets a relay (and its upstream connection)
/// before its first frame is read; the relay closes when the charger leaves.
/// </summary>
public sealed class ProxyConnectionEvents(CsmsConnectionEvents inner, IOcppCallHandler handler, ProxyObserver observer, SchemaValidator schemas,
    IOcppFrameLog log, OcppEventLog events, ProxyOptions options, TimeProvider time, ILogger<ProxyRelay> logger) : IOcppConnectionEvents
{
    readonly ConcurrentDictionary<string, ProxyRelay> _relays = new();

    /// <summary>The live relay of a connection (tests, diagnostics).</summary>
    public ProxyRelay? Find(string connectionId) => _relays.GetValueOrDefault(connectionId);

    public async Task OnConnectedAsync(OcppConnection connection, CancellationToken ct)
    {
        if (connection.Info.AuthContext is ChargerAdmitted { Proxy: not null })
        {
            var relay = new ProxyRelay(connection, handler, observer, schemas, log, events, options, time, logger);
            _relays[connection.Info.ConnectionId] = relay;
            connection.Relay = relay;
            await relay.StartAsync();
        }
        await inner.OnConnectedAsync(connection, ct);
    }

    public async Task OnDisconnectedAsync(OcppConnectionInfo connection, WebSocketCloseStatus? status, string? reason)
    {
        if (_relays.TryRemove(connection.ConnectionId, out var relay))
            await relay.DisposeAsync();
        await inner.OnDisconnectedAsync(connection, status, reason);
    }
}
