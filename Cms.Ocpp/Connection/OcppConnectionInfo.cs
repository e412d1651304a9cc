using System.Net;

namespace Cms.Ocpp.Connection;

/// <summary>
/// Who is on the other end of one connection. <see cref="ConnectionId"/> tells a reconnect of the
/// same charger apart from the connection it replaced. <see cref="AuthContext"/> is whatever the
/// authenticator returned (e.g. the Core charge point), opaque to this layer.
/// </summary>
public sealed record OcppConnectionInfo(
    string ConnectionId,
    string CustomerShortName,
    string OcppId,
    OcppVersion Version,
    IPAddress? RemoteIp,
    DateTimeOffset ConnectedAt,
    object? AuthContext);
