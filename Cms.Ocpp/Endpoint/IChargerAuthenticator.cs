using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Cms.Ocpp.Endpoint;

/// <summary>
/// What a charger presented when it asked to connect. CustomerShortName is null for the
/// /ocpp/{ocppId} route (default customer). Username/Password come from HTTP Basic, if sent.
/// </summary>
public sealed record ChargerAuthRequest(
    string? CustomerShortName,
    string OcppId,
    OcppVersion Version,
    string? Username,
    string? Password,
    X509Certificate2? ClientCertificate,
    IPAddress? RemoteIp,
    bool IsTls);

/// <summary>
/// Accept (with an opaque context kept on the connection and the resolved customer short name,
/// so the default customer gets its real name in the registry) or refuse with an HTTP status.
/// </summary>
public sealed record ChargerAuthResult
{
    public bool Accepted { get; private init; }
    public int StatusCode { get; private init; } = 200;
    public string? Reason { get; private init; }
    public object? Context { get; private init; }
    public string? CustomerShortName { get; private init; }

    public static ChargerAuthResult Accept(object? context = null, string? customerShortName = null) =>
        new() { Accepted = true, Context = context, CustomerShortName = customerShortName };

    /// <summary>401 bad/missing credentials, 403 not allowed (e.g. feature off), 404 unknown charger/customer.</summary>
    public static ChargerAuthResult Refuse(int statusCode, string reason) =>
        statusCode is >= 400 and < 600
            ? new() { Accepted = false, StatusCode = statusCode, Reason = reason }
            : throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "Refusal needs a 4xx/5xx status");
}

/// <summary>Decides whether a charger may connect. Called once per upgrade request, before the WebSocket is accepted.</summary>
public interface IChargerAuthenticator
{
    Task<ChargerAuthResult> AuthenticateAsync(ChargerAuthRequest request, CancellationToken cancellationToken);
}
