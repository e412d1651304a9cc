using Cms.Ocpp.Connection;
using Cms.Ocpp.Framing;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Tests;

/// <summary>CSMS → charger CALLs: correlation, one at a time, timeout on fake time, failure on close.</summary>
public class OutgoingCallTests
{
    static readonly JObject SoftReset = new() { ["type"] = "Soft" };

    static async Task<(TestHost Host, WsClient Client, OcppConnection Server)> Connect()
    {
        var host = await TestHost.StartAsync();
        var client = await WsClient.ConnectAsync(host.OcppUri("ocpp/CP1"), ["ocpp1.6"]);
        var server = await host.Events.Connected.Task.WaitAsync(WsClient.Wait);
        return (host, client, server);
    }

    [Fact]
    public async Task A_result_is_correlated_by_message_id()
    {
        var (host, client, server) = await Connect();
        await using var _ = host;
        await using var __ = client;

        var pending = server.CallAsync("Reset", SoftReset);
        var call = await client.ReceiveFrameAsync();
        Assert.Equal((2, "Reset", "Soft"), ((int)call[0], (string)call[2]!, (string)call[3]!["type"]!));

        await client.SendAsync($$"""[3,"someone-else",{"status":"Rejected"}]"""); // ignored: wrong id
        await client.SendAsync($$"""[3,"{{call[1]}}",{"status":"Accepted"}]""");

        var result = await pending.WaitAsync(WsClient.Wait);
        Assert.Equal(OcppCallStatus.Result, result.Status);
        Assert.Equal("Accepted", (string?)result.Payload!["status"]);
        var logged = host.FrameLog.Entries.Single(e => e.MessageType == OcppMessageType.CallResult && e.MessageId == (string?)call[1]);
        Assert.Equal("Reset", logged.Action);
    }

    [Fact]
    public async Task A_call_error_comes_back_to_the_caller()
    {
        var (host, client, server) = await Connect();
        await using var _ = host;
        await using var __ = client;

        var pending = server.CallAsync("Reset", SoftReset);
        var call = await client.ReceiveFrameAsync();
        await client.SendAsync($$"""[4,"{{call[1]}}","NotSupported","no resets here",{"why":"demo"}]""");

        var result = await pending.WaitAsync(WsClient.Wait);
        Assert.Equal((OcppCallStatus.Error, "NotSupported", "no resets here"), (result.Status, result.ErrorCode!, result.ErrorDescription!));
        Assert.Equal("demo", (string?)result.ErrorDetails!["why"]);
    }

    [Fact]
    public async Task A_schema_invalid_result_is_reported_as_such()
    {
        var (host, client, server) = await Connect();
        await using var _ = host;
        await using var __ = client;

        var pending = server.CallAsync("Reset", SoftReset);
        var call = await client.ReceiveFrameAsync();
        await client.SendAsync($$"""[3,"{{call[1]}}",{"status":"Maybe"}]""");

        var result = await pending.WaitAsync(WsClient.Wait);
        Assert.Equal(OcppCallStatus.InvalidResponse, result.Status);
        Assert.Equal("PropertyConstraintViolation", result.ErrorCode);
    }

    [Fact]
    public async Task A_second_call_waits_until_the_first_is_answered()
    {
        var (host, client, server) = await Connect();
        await using var _ = host;
        await using var __ = client;

        var first = server.CallAsync("Reset", SoftReset);
        var second = server.CallAsync("ClearCache", new JObject());
        var call1 = await client.ReceiveFrameAsync();
        Assert.Equal("Reset", (string?)call1[2]);
        Assert.Equal(2, server.PendingCallCount);
        Assert.False(second.IsCompleted);

        await client.SendAsync($$"""[3,"{{call1[1]}}",{"status":"Accepted"}]""");
        var call2 = await client.ReceiveFrameAsync();
        Assert.Equal("ClearCache", (string?)call2[2]);
        await client.SendAsync($$"""[3,"{{call2[1]}}",{"status":"Accepted"}]""");

        Assert.Equal(OcppCallStatus.Result, (await first.WaitAsync(WsClient.Wait)).Status);
        Assert.Equal(OcppCallStatus.Result, (await second.WaitAsync(WsClient.Wait)).Status);
        // The frame log proves the order on the wire: ClearCache left only after Reset's answer came in.
        var order = host.FrameLog.Entries.Select(e => $"{e.Direction} {e.MessageType} {e.Action}").ToList();
        Assert.True(order.IndexOf("Incoming CallResult Reset") < order.IndexOf("Outgoing Call ClearCache"), string.Join(" | ", order));
    }

    [Fact]
    public async Task An_unanswered_call_times_out_on_fake_time_and_the_next_one_goes_out()
    {
        var (host, client, server) = await Connect();
        await using var _ = host;
        await using var __ = client;

        var first = server.CallAsync("Reset", SoftReset);
        var second = server.CallAsync("ClearCache", new JObject(), timeout: TimeSpan.FromSeconds(5));
        var call1 = await client.ReceiveFrameAsync();

        host.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(first.IsCompleted);
        host.Time.Advance(TimeSpan.FromSeconds(1)); // the default 30 s
        Assert.Equal(OcppCallStatus.Timeout, (await first.WaitAsync(WsClient.Wait)).Status);

        var call2 = await client.ReceiveFrameAsync();
        Assert.Equal("ClearCache", (string?)call2[2]);
        await client.SendAsync($$"""[3,"{{call1[1]}}",{"status":"Accepted"}]"""); // too late: ignored
        host.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(OcppCallStatus.Timeout, (await second.WaitAsync(WsClient.Wait)).Status);
    }

    [Fact]
    public async Task Closing_fails_the_outstanding_and_queued_calls()
    {
        var (host, client, server) = await Connect();
        await using var _ = host;

        var first = server.CallAsync("Reset", SoftReset);
        var second = server.CallAsync("ClearCache", new JObject());
        await client.ReceiveFrameAsync();
        await client.DisposeAsync();

        Assert.Equal(OcppCallStatus.Closed, (await first.WaitAsync(WsClient.Wait)).Status);
        Assert.Equal(OcppCallStatus.Closed, (await second.WaitAsync(WsClient.Wait)).Status);
        await host.Events.Disconnected.Task.WaitAsync(WsClient.Wait);
        Assert.Equal(OcppCallStatus.Closed, (await server.CallAsync("ClearCache", new JObject())).Status);
        Assert.Equal(0, host.Registry.Count);
    }

    [Fact]
    public async Task An_invalid_outgoing_payload_is_refused_before_sending()
    {
        var (host, client, server) = await Connect();
        await using var hostScope = host;
        await using var clientScope = client;

        var ex = Assert.Throws<OcppCallException>(() => { _ = server.CallAsync("Reset", new JObject { ["type"] = "Violent" }); });
        Assert.Equal(OcppErrorCode.PropertyConstraintViolation, ex.Code);
        Assert.Equal(OcppErrorCode.NotImplemented, Assert.Throws<OcppCallException>(() => { _ = server.CallAsync("Nope", new JObject()); }).Code);
        Assert.Equal(0, server.PendingCallCount);
    }

    [Fact]
    public async Task A_cancelled_caller_is_released_but_the_next_call_waits_for_the_charger()
    {
        var (host, client, server) = await Connect();
        await using var _ = host;
        await using var __ = client;

        using var cts = new CancellationTokenSource();
        var first = server.CallAsync("Reset", SoftReset, cancellationToken: cts.Token);
        var call1 = await client.ReceiveFrameAsync();
        cts.Cancel();
        Assert.Equal(OcppCallStatus.Cancelled, (await first.WaitAsync(WsClient.Wait)).Status);

        var second = server.CallAsync("ClearCache", new JObject());
        await client.SendAsync($$"""[3,"{{call1[1]}}",{"status":"Accepted"}]""");
        var call2 = await client.ReceiveFrameAsync();
        Assert.Equal("ClearCache", (string?)call2[2]);
        var order = host.FrameLog.Entries.Select(e => $"{e.Direction} {e.MessageType} {e.Action}").ToList();
        Assert.True(order.IndexOf("Incoming CallResult Reset") < order.IndexOf("Outgoing Call ClearCache"), string.Join(" | ", order));
        await client.SendAsync($$"""[3,"{{call2[1]}}",{"status":"Accepted"}]""");
        Assert.Equal(OcppCallStatus.Result, (await second.WaitAsync(WsClient.Wait)).Status);
    }

    [Fact]
    public async Task A_handler_may_call_the_same_charger_before_answering()
    {
        var handler = new TestCallHandler();
        TestHost? hostRef = null;
        handler.Overrides["BootNotification"] = async (info, _) =>
        {
            Assert.True(hostRef!.Registry.TryGet(info.CustomerShortName, info.OcppId, out var self));
            var config = await self.CallAsync("GetConfiguration", new JObject());
            return new JObject
            {
                ["status"] = config.IsSuccess ? "Accepted" : "Rejected",
                ["currentTime"] = "2024-05-01T12:00:00Z",
                ["interval"] = 300,
            };
        };
        await using var host = hostRef = await TestHost.StartAsync(handler);
        await using var client = await WsClient.ConnectAsync(host.OcppUri("ocpp/CP1"), ["ocpp1.6"]);

        await client.SendAsync("""[2,"boot","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]""");
        var getConfig = await client.ReceiveFrameAsync();
        Assert.Equal("GetConfiguration", (string?)getConfig[2]);
        await client.SendAsync($$"""[3,"{{getConfig[1]}}",{"configurationKey":[]}]""");

        var boot = await client.ReceiveFrameAsync();
        Assert.Equal(("boot", "Accepted"), ((string)boot[1]!, (string)boot[2]!["status"]!));
    }
}
