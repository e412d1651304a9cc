using System.Net.WebSockets;
using Cms.Ocpp.Connection;
using Cms.Ocpp.Schemas;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cms.Ocpp.Endpoint;

/// <summary>
/// Handles one upgrade request at /ocpp/{customerShortName}/{ocppId} or /ocpp/{ocppId}:
/// subprotocol → auth → accept → register → run until closed. Handler, authenticator, frame log
/// and events are resolved from the request's services, so they may be scoped to the connection.
/// </summary>
public sealed class OcppEndpoint(
    SchemaValidator schemas,
    OcppConnectionRegistry registry,
    IOptions<OcppConnectionOptions> options,
    TimeProvider time,
    AdmissionThrottle throttle,
    ILogger<OcppEndpoint> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        var ocppId = context.GetRouteValue("ocppId") as string;
        var customer = context.GetRouteValue("customerShortName") as string;
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Refuse(context, StatusCodes.Status400BadRequest, "OCPP-J needs a WebSocket upgrade");
            return;
        }
        if (string.IsNullOrWhiteSpace(ocppId))
        {
            await Refuse(context, StatusCodes.Status404NotFound, "Missing charge point id");
            return;
        }
        if (!SubprotocolNegotiator.TryNegotiate(context.WebSockets.WebSocketRequestedProtocols, out var subprotocol, out var version))
        {
            await Refuse(context, StatusCodes.Status400BadRequest,
                $"No supported subprotocol offered; use {OcppVersions.Subprotocol16} or {OcppVersions.Subprotocol201}");
            return;
        }

        var services = context.RequestServices;
        var identity = $"{customer}/{ocppId}";
        var remote = context.Connection.RemoteIpAddress;
        if (throttle.IsThrottled(remote, identity))
        {
            await Refuse(context, StatusCodes.Status429TooManyRequests, "Too many failed connection attempts; try again later");
            return;
        }
        var auth = await Authenticate(context, services, customer, ocppId, version);
        if (auth.Accepted) throttle.Succeeded(identity);
        else if (auth.StatusCode is StatusCodes.Status401Unauthorized or StatusCodes.Status404NotFound) throttle.Failed(remote, identity);
        if (!auth.Accepted)
        {
            if (auth.StatusCode == StatusCodes.Status401Unauthorized)
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"OCPP\", charset=\"UTF-8\"";
            logger.LogInformation("Refused OCPP connection {ChargePointId} ({Customer}): {Status} {Reason}", ocppId, customer, auth.StatusCode, auth.Reason);
            await Refuse(context, auth.StatusCode, auth.Reason ?? "Refused");
            return;
        }

        var opts = options.Value;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            SubProtocol = subprotocol,
            KeepAliveInterval = opts.KeepAliveInterval,
            KeepAliveTimeout = opts.KeepAliveTimeout > TimeSpan.Zero ? opts.KeepAliveTimeout : Timeout.InfiniteTimeSpan,
        });
        var info = new OcppConnectionInfo(Guid.NewGuid().ToString("N"), auth.CustomerShortName ?? customer ?? "",
            ocppId, version, context.Connection.RemoteIpAddress, time.GetUtcNow(), auth.Context);
        await RunConnection(context, services, socket, info);
    }

    async Task RunConnection(HttpContext context, IServiceProvider services, WebSocket socket, OcppConnectionInfo info)
    {
        var events = services.GetService<IOcppConnectionEvents>();
        var connection = new OcppConnection(socket, info, services.GetRequiredService<IOcppCallHandler>(), schemas,
            options.Value, services.GetService<IOcppFrameLog>(), time, logger);

        if (registry.Register(connection) is { } replaced)
        {
            logger.LogInformation("OCPP connection {ChargePointId} replaces an older one", info.OcppId);
            _ = replaced.CloseAsync(WebSocketCloseStatus.PolicyViolation, "Replaced by a new connection");
        }
        logger.LogInformation("OCPP connection {ChargePointId} ({Customer}) opened with {Subprotocol}", info.OcppId, info.CustomerShortName, info.Version.ToSubprotocol());
        try
        {
            if (events is not null)
                await events.OnConnectedAsync(connection, context.RequestAborted);
            await connection.RunAsync(context.RequestAborted);
        }
        finally
        {
            registry.Remove(connection);
            logger.LogInformation("OCPP connection {ChargePointId} closed: {Status} {Reason}", info.OcppId, connection.CloseStatus, connection.CloseReason);
            if (events is not null)
                await events.OnDisconnectedAsync(info, connection.CloseStatus, connection.CloseReason);
        }
    }

    static Task<ChargerAuthResult> Authenticate(HttpContext context, IServiceProvider services, string? customer, string ocppId, OcppVersion version)
    {
        BasicAuthHeader.TryParse(context.Request.Headers.Authorization, out var user, out var password);
        var request = new ChargerAuthRequest(customer, ocppId, version,
            user.Length > 0 ? user : null, user.Length > 0 ? password : null,
            context.Connection.ClientCertificate, context.Connection.RemoteIpAddress, context.Request.IsHttps);
        return services.GetRequiredService<IChargerAuthenticator>().AuthenticateAsync(request, context.RequestAborted);
    }

    static Task Refuse(HttpContext context, int status, string reason)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(reason, context.RequestAborted);
    }
}
