using System.Net.WebSockets;

namespace Cms.Ocpp.Connection;

/// <summary>
/// Connection lifecycle for the Host/Core. With reconnects the old connection's Disconnected may
/// arrive after the new one's Connected: compare <see cref="OcppConnectionInfo.ConnectionId"/>.
/// </summary>
public interface IOcppConnectionEvents
{
    Task OnConnectedAsync(OcppConnection connection, CancellationToken cancellationToken);

    Task OnDisconnectedAsync(OcppConnectionInfo connection, WebSocketCloseStatus? status, string? reason);
}
