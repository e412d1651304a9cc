using System.Collections.Concurrent;
using System.Net.WebSockets;
using Cms.Ocpp.Connection;
using Cms.Ocpp.Endpoint;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Tests.Support;

/// <summary>Answers the common charger CALLs with valid canned payloads; extend via Overrides.</summary>
public sealed class TestCallHandler : IOcppCallHandler
{
    public ConcurrentDictionary<string, Func<OcppConnectionInfo, JObject, Task<JObject>>> Overrides { get; } = new();

    public Task<JObject> HandleAsync(OcppConnectionInfo connection, string action, JObject payload, CancellationToken cancellationToken)
    {
        if (Overrides.TryGetValue(action, out var handler))
            return handler(connection, payload);
        const string now = "2024-05-01T12:00:00Z";
        return Task.FromResult(action switch
        {
            // BootNotification's response has the same shape in 1.6 and 2.0.1.
            "BootNotification" => new JObject { ["status"] = "Accepted", ["currentTime"] = now, ["interval"] = 300 },
            "Heartbeat" => new JObject { ["currentTime"] = now },
            "StatusNotification" => new JObject(),
            "Authorize" when connection.Version == OcppVersion.Ocpp16 =>
                new JObject { ["idTagInfo"] = new JObject { ["status"] = "Accepted" } },
            _ => throw new OcppCallException(OcppErrorCode.NotSupported, $"Test handler does not handle {action}"),
        });
    }
}

/// <summary>Accepts everyone except: ocppId "unknown" → 404, any charger whose password is not "secret" when one is sent → 401.</summary>
public sealed class TestAuthenticator : IChargerAuthenticator
{
    public ConcurrentQueue<ChargerAuthRequest> Requests { get; } = new();

    public Task<ChargerAuthResult> AuthenticateAsync(ChargerAuthRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        if (request.OcppId == "unknown")
            return Task.FromResult(ChargerAuthResult.Refuse(404, "Unknown charge point"));
        if (request.Password is not null && request.Password != "secret")
            return Task.FromResult(ChargerAuthResult.Refuse(401, "Bad credentials"));
        return Task.FromResult(ChargerAuthResult.Accept(context: "ctx-" + request.OcppId));
    }
}

public sealed class RecordingFrameLog : IOcppFrameLog
{
    public ConcurrentQueue<OcppFrameLogEntry> Entries { get; } = new();

    public void Record(OcppFrameLogEntry entry) => Entries.Enqueue(entry);
}

public sealed class RecordingEvents : IOcppConnectionEvents
{
    public ConcurrentQueue<string> Log { get; } = new();
    public TaskCompletionSource<OcppConnection> Connected { get; private set; } = NewTcs<OcppConnection>();
    public TaskCompletionSource<OcppConnectionInfo> Disconnected { get; private set; } = NewTcs<OcppConnectionInfo>();

    public Task OnConnectedAsync(OcppConnection connection, CancellationToken cancellationToken)
    {
        Log.Enqueue("connected " + connection.Info.ConnectionId);
        Connected.TrySetResult(connection);
        return Task.CompletedTask;
    }

    public Task OnDisconnectedAsync(OcppConnectionInfo connection, WebSocketCloseStatus? status, string? reason)
    {
        Log.Enqueue("disconnected " + connection.ConnectionId);
        Disconnected.TrySetResult(connection);
        return Task.CompletedTask;
    }

    /// <summary>Arms fresh completion sources before the next connect.</summary>
    public void Reset()
    {
        Connected = NewTcs<OcppConnection>();
        Disconnected = NewTcs<OcppConnectionInfo>();
    }

    static TaskCompletionSource<T> NewTcs<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
