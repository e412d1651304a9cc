using System.Net.WebSockets;
using Cms.Ocpp.Endpoint;
using Cms.Ocpp.Tests.Support;

namespace Cms.Ocpp.Tests;

/// <summary>Upgrade, subprotocol, auth and registry behaviour of /ocpp/...</summary>
public class EndpointTests
{
    [Fact]
    public async Task Missing_or_unknown_subprotocol_is_refused_with_400()
    {
        await using var host = await TestHost.StartAsync();
        Assert.Equal(400, await WsClient.ConnectExpectingRefusalAsync(host.OcppUri("ocpp/CP1"), []));
        Assert.Equal(400, await WsClient.ConnectExpectingRefusalAsync(host.OcppUri("ocpp/CP1"), ["ocpp1.5", "wamp"]));

        // The server is still fine afterwards.
        await using var client = await WsClient.ConnectAsync(host.OcppUri("ocpp/CP1"), ["ocpp1.6"]);
        Assert.Equal(3, (int)(await client.CallAsync("x", "Heartbeat", "{}"))[0]);
    }

    [Fact]
    public async Task The_first_supported_offered_subprotocol_wins()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await WsClient.ConnectAsync(host.OcppUri("ocpp/CP1"), ["ocpp2.1", "ocpp2.0.1", "ocpp1.6"]);
        Assert.Equal("ocpp2.0.1", client.Socket.SubProtocol);
        var server = await host.Events.Connected.Task.WaitAsync(WsClient.Wait);
        Assert.Equal(OcppVersion.Ocpp201, server.Info.Version);
    }

    [Fact]
    public async Task Basic_credentials_reach_the_authenticator_and_its_refusals_become_http_statuses()
    {
        var auth = new TestAuthenticator();
        await using var host = await TestHost.StartAsync(authenticator: auth);

        Assert.Equal(401, await WsClient.ConnectExpectingRefusalAsync(host.OcppUri("ocpp/acme/CP9"), ["ocpp1.6"], ("CP9", "wrong")));
        Assert.Equal(404, await WsClient.ConnectExpectingRefusalAsync(host.OcppUri("ocpp/unknown"), ["ocpp1.6"]));

        await using var client = await WsClient.ConnectAsync(host.OcppUri("ocpp/acme/CP9"), ["ocpp1.6"], ("CP9", "secret"));
        var server = await host.Events.Connected.Task.WaitAsync(WsClient.Wait);
        var last = auth.Requests.Last();
        Assert.Equal(("acme", "CP9", "CP9", "secret", OcppVersion.Ocpp16), (last.CustomerShortName!, last.OcppId, last.Username!, last.Password!, last.Version));
        Assert.Equal("ctx-CP9", server.Info.AuthContext);
        Assert.True(host.Registry.TryGet("acme", "CP9", out var registered));
        Assert.Same(server, registered);
    }

    [Fact]
    public void A_password_may_contain_colons()
    {
        Assert.True(BasicAuthHeader.TryParse("Basic " + Convert.ToBase64String("CP1:a:b:c"u8.ToArray()), out var user, out var password));
        Assert.Equal(("CP1", "a:b:c"), (user, password));
        Assert.False(BasicAuthHeader.TryParse("Bearer abc", out _, out _));
        Assert.False(BasicAuthHeader.TryParse("Basic !!!", out _, out _));
    }

    [Fact]
    public async Task A_new_connection_for_the_same_charger_replaces_and_closes_the_old_one()
    {
        await using var host = await TestHost.StartAsync();
        await using var first = await WsClient.ConnectAsync(host.OcppUri("ocpp/CP1"), ["ocpp1.6"]);
        var old = await host.Events.Connected.Task.WaitAsync(WsClient.Wait);
        host.Events.Reset();

        await using var second = await WsClient.ConnectAsync(host.OcppUri("ocpp/CP1"), ["ocpp1.6"]);
        var current = await host.Events.Connected.Task.WaitAsync(WsClient.Wait);

        Assert.Null(await first.ReceiveAsync()); // the server sent a close frame
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, first.Socket.CloseStatus);
        await old.Completion.WaitAsync(WsClient.Wait);
        Assert.True(host.Registry.TryGet("", "CP1", out var registered));
        Assert.Same(current, registered);
        Assert.Equal(1, host.Registry.Count);
        Assert.Equal(3, (int)(await second.CallAsync("x", "Heartbeat", "{}"))[0]);
    }

    [Fact]
    public async Task A_plain_http_request_is_refused_with_400()
    {
        await using var host = await TestHost.StartAsync();
        using var http = new HttpClient();
        var response = await http.GetAsync(new Uri(host.BaseUri.ToString().Replace("ws://", "http://") + "ocpp/CP1"));
        Assert.Equal(400, (int)response.StatusCode);
    }
}
