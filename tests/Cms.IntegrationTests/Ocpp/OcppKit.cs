using System.Globalization;
using Cms.IntegrationTests.Harness;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Ocpp;

/// <summary>Helpers for driving the real host with chargers: ocpp-rpc (strict mode) and raw WebSockets.</summary>
public static class OcppKit
{
    private static int _tags;

    public static Uri OcppUri(this TestHost host, string path) => new($"ws://{host.BaseAddress.Authority}/{path.TrimStart('/')}");

    /// <summary>A unique charger id for this run.</summary>
    public static string NewOcppId(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Starts an ocpp-rpc charger and waits until its WebSocket is open.</summary>
    public static async Task<NodeCharger> ConnectAsync(this TestHost host, string path, string? password = null, string protocol = "ocpp1.6")
    {
        var charger = NodeCharger.Start(host.OcppUri(path), protocol, password);
        var opened = await charger.WaitForAsync(e => (string?)e["event"] is "open" or "fatal", "open");
        if ((string?)opened["event"] != "open")
        {
            await charger.DisposeAsync();
            throw new InvalidOperationException("charger did not connect: " + opened.ToString(Formatting.None));
        }
        return charger;
    }

    /// <summary>The charger sends a CALL; returns its CALLRESULT payload (throws when the server answered CALLERROR).</summary>
    public static async Task<JObject> CallAsync(this NodeCharger charger, string action, object payload)
    {
        var answer = await charger.SendCallAsync(action, payload);
        Assert.True((string?)answer["event"] == "result", $"{action} failed: {answer.ToString(Formatting.None)}");
        return (JObject)answer["payload"]!;
    }

    /// <summary>The charger sends a CALL; returns the "result" or "error" event.</summary>
    public static async Task<JObject> SendCallAsync(this NodeCharger charger, string action, object payload)
    {
        var tag = "t" + Interlocked.Increment(ref _tags);
        await charger.SendAsync(new { call = action, payload, tag });
        return await charger.WaitForAsync(e => (string?)e["event"] is "result" or "error" && (string?)e["tag"] == tag, $"answer to {action}");
    }

    /// <summary>Canned answer for server calls of this action, registered before the test continues.</summary>
    public static async Task HandleAsync(this NodeCharger charger, string action, object reply)
    {
        await charger.SendAsync(new { handle = action, reply });
        await charger.WaitForEventAsync("handling", action);
    }

    /// <summary>ocpp-rpc in strict mode reports every frame of ours that breaks the official schema.</summary>
    public static void AssertNoComplaints(this NodeCharger charger)
    {
        lock (charger.Events)
            Assert.DoesNotContain(charger.Events, e => (string?)e["event"] is "strictValidationFailure" or "badMessage" or "fatal");
    }

    /// <summary>Boots the charger and reports connector 1 Available.</summary>
    public static async Task BootAsync(this NodeCharger charger, int connectors = 1)
    {
        Assert.Equal("Accepted", (string?)(await charger.CallAsync("BootNotification", new { chargePointVendor = "AmpTest", chargePointModel = "node" }))["status"]);
        for (var n = 1; n <= connectors; n++)
            await charger.CallAsync("StatusNotification", new { connectorId = n, errorCode = "NoError", status = "Available" });
    }

    /// <summary>Polls a REST read until it satisfies the condition (the state it waits for comes from another process).</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > until) throw new TimeoutException($"{what}: last seen {value}");
            await Task.Delay(25);
        }
    }

    public static async Task<JObject> GetOne(this ApiClient api, string path)
    {
        var response = await api.Get(path);
        Assert.True(response.Status == 200, $"GET {path}: {response}");
        return response.First;
    }

    /// <summary>An OCPP timestamp (UTC, milliseconds) that ocpp-rpc's date-time check accepts.</summary>
    public static string Ocpp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset Time(JToken? token) =>
        DateTimeOffset.Parse((string)token!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <summary>A registered charge point with ocppId, in a fresh network of the admin's (default) customer.</summary>
    public static async Task<(string NetworkId, string ChargePointId, string OcppId)> ChargePointAsync(ApiClient api, string prefix, object? extra = null)
    {
        var ocppId = NewOcppId(prefix);
        var network = await api.Network();
        var body = JObject.FromObject(new { name = prefix, maxCapacity = 22, networkId = network.Id(), ocppId });
        if (extra is not null) body.Merge(JObject.FromObject(extra));
        var cp = await api.Create("/v2/charge_points/", body);
        return (network.Id(), cp.Id(), ocppId);
    }
}
