using System.Net.WebSockets;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Tests.Support;

/// <summary>
/// A charger that sends calls and never reads the answers, against a host whose DataTransfer answers are 256 KiB:
/// its socket fills within a few calls, so the host's handling of a full socket shows.
/// </summary>
public static class NonReadingCharger
{
    /// <summary>A host whose DataTransfer answers are 256 KiB each.</summary>
    public static Task<TestHost> StartHostAsync()
    {
        var handler = new TestCallHandler();
        var bigAnswer = new JObject { ["status"] = "Accepted", ["data"] = new string('a', 256 * 1024) };
        handler.Overrides["DataTransfer"] = (_, _) => Task.FromResult((JObject)bigAnswer.DeepClone());
        return TestHost.StartAsync(handler);
    }

    /// <summary>A raw OCPP 1.6 WebSocket as <paramref name="ocppId"/>: the test sends on it and never reads.</summary>
    public static async Task<ClientWebSocket> ConnectAsync(TestHost host, string ocppId)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("ocpp1.6");
        await socket.ConnectAsync(host.OcppUri("ocpp/" + ocppId), CancellationToken.None);
        return socket;
    }
}
