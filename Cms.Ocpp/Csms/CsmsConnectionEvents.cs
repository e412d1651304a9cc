using System.Net.WebSockets;
using Cms.Core.Domain.Ocpp;
using Cms.Ocpp.Connection;
using Microsoft.Extensions.Logging;

namespace Cms.Ocpp.Csms;

/// <summary>
/// A charger came or went: the gateway learns its connection, Core marks it ONLINE/OFFLINE, and calls that waited
/// in the outbox are sent once the connection's loop runs.
/// </summary>
public sealed class CsmsConnectionEvents(ChargerGateway gateway, ChargerStatus status, ChargerCommands commands,
    ILogger<CsmsConnectionEvents> log) : IOcppConnectionEvents
{
    public async Task OnConnectedAsync(OcppConnection connection, CancellationToken ct)
    {
        var charger = (ChargerAdmitted)connection.Info.AuthContext!;
        await gateway.AttachAsync(charger.ChargePointId, connection);
        await status.ConnectedAsync(charger, connection.Info.Version.ToSubprotocol());
        // Not awaited: the receive loop starts after this returns, and the queued calls need its answers.
        _ = Task.Run(async () =>
        {
            try { await commands.DeliverQueuedAsync(charger.ChargePointId, CancellationToken.None); }
            catch (Exception e) { log.LogWarning(e, "Delivering queued calls to {ChargePointId} failed", charger.OcppId); }
        }, CancellationToken.None);
    }

    public async Task OnDisconnectedAsync(OcppConnectionInfo info, WebSocketCloseStatus? closeStatus, string? reason)
    {
        var charger = (ChargerAdmitted)info.AuthContext!;
        // A replaced connection closing must not mark the charger offline: its successor is already attached.
        if (gateway.Detach(charger.ChargePointId, info.ConnectionId))
            await status.DisconnectedAsync(charger, $"disconnected ({closeStatus}) {reason}".Trim());
    }
}
