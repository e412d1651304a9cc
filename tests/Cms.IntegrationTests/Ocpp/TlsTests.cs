using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Cms.IntegrationTests.Harness;

namespace Cms.IntegrationTests.Ocpp;

/// <summary>Security profile 2: the same port serves wss when Kestrel has a certificate, and chargers still need their secret.</summary>
public sealed class TlsTests : IAsyncLifetime
{
    private TestHost _host = null!;
    private string _pfx = "";

    public async Task InitializeAsync()
    {
        _pfx = Path.Combine(Path.GetTempPath(), $"ampcms-tls-{Guid.NewGuid():N}.pfx");
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        await File.WriteAllBytesAsync(_pfx, certificate.Export(X509ContentType.Pfx, "test"));
        _host = await TestHost.StartAsync(null,
            "--Kestrel:Endpoints:Https:Url=https://127.0.0.1:0",
            $"--Kestrel:Endpoints:Https:Certificate:Path={_pfx}",
            "--Kestrel:Endpoints:Https:Certificate:Password=test");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        File.Delete(_pfx);
    }

    private async Task<ClientWebSocket> ConnectAsync(string ocppId, string? password)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("ocpp1.6");
        socket.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true; // the test's own self-signed certificate
        if (password is not null)
            socket.Options.SetRequestHeader("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ocppId}:{password}")));
        await socket.ConnectAsync(new Uri($"wss://{_host.BaseAddress.Authority}/ocpp/{ocppId}"), CancellationToken.None);
        return socket;
    }

    [Fact]
    public async Task A_charger_connects_over_wss_with_its_secret_and_is_refused_without_it()
    {
        Assert.Equal("https", _host.BaseAddress.Scheme);
        var (_, cpId, ocppId) = await OcppKit.ChargePointAsync(_host.Admin, "tls");
        await _host.Admin.Post($"/v2/configurations/ocpp_settings/charge_points/{cpId}", new { secret = "tls-secret-0123456789", feature = "cms" });

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(ocppId, null));
        Assert.Contains("401", refused.Message);

        using var socket = await ConnectAsync(ocppId, "tls-secret-0123456789");
        Assert.Equal("ocpp1.6", socket.SubProtocol);
        await socket.SendAsync(Encoding.UTF8.GetBytes("""[2,"b1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]"""),
            WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        var answer = Encoding.UTF8.GetString(buffer, 0, received.Count);
        Assert.StartsWith("[3,\"b1\",", answer);
        Assert.Contains("Accepted", answer);
    }
}
