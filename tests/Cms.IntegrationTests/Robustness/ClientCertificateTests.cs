using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;

namespace Cms.IntegrationTests.Robustness;

/// <summary>
/// Security profile 3: a charger presents a TLS client certificate, signed by the CA the host trusts
/// (Ocpp:ClientCertificateAuthority), whose common name is its ocppId. The certificates are made here.
/// </summary>
public sealed class ClientCertificateTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"ampcms-mtls-{Guid.NewGuid():N}");
    private RSA _caKey = null!;
    private X509Certificate2 _ca = null!;
    private TestHost _host = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=AmpCMS test charger CA", _caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        _ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        await File.WriteAllBytesAsync(Path.Combine(_dir, "ca.cer"), _ca.Export(X509ContentType.Cert));

        using var serverKey = RSA.Create(2048);
        var server = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        await File.WriteAllBytesAsync(Path.Combine(_dir, "server.pfx"), server.Export(X509ContentType.Pfx, "test"));
        _host = await TestHost.StartAsync(null,
            "--Kestrel:Endpoints:Https:Url=https://127.0.0.1:0",
            $"--Kestrel:Endpoints:Https:Certificate:Path={Path.Combine(_dir, "server.pfx")}",
            "--Kestrel:Endpoints:Https:Certificate:Password=test",
            $"--Ocpp:ClientCertificateAuthority={Path.Combine(_dir, "ca.cer")}");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _ca.Dispose();
        _caKey.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A client certificate for <paramref name="commonName"/>, signed by <paramref name="issuer"/> (or by itself).</summary>
    private static X509Certificate2 ClientCertificate(string commonName, X509Certificate2? issuer, RSA? issuerKey)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false)); // client auth
        var notBefore = DateTimeOffset.UtcNow.AddHours(-1);
        if (issuer is null)
        {
            using var selfSigned = request.CreateSelfSigned(notBefore, notBefore.AddDays(2));
            return X509CertificateLoader.LoadPkcs12(selfSigned.Export(X509ContentType.Pfx, ""), "");
        }
        using var issued = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForRSA(issuerKey!, RSASignaturePadding.Pkcs1),
            notBefore, notBefore.AddDays(2), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);
        // Exported and loaded again so the private key travels with it into the TLS handshake.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx, ""), "");
    }

    private async Task<ClientWebSocket> ConnectAsync(string ocppId, X509Certificate2 certificate)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("ocpp1.6");
        socket.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true; // the test's own server certificate
        socket.Options.ClientCertificates = [certificate];
        socket.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // TLS with client certificates is slow on a loaded machine
        await socket.ConnectAsync(new Uri($"wss://{_host.BaseAddress.Authority}/ocpp/{ocppId}"), timeout.Token);
        return socket;
    }

    [Fact]
    public async Task A_certificate_naming_the_charger_admits_it_without_basic_auth_and_another_name_or_ca_is_refused()
    {
        var (_, cpId, ocppId) = await OcppKit.ChargePointAsync(_host.Admin, "mtls");
        Assert.Equal(201, (await _host.Admin.Post($"/v2/configurations/ocpp_settings/charge_points/{cpId}", new { secret = "mtls-secret-0123456789" })).Status);

        using (var own = ClientCertificate(ocppId, _ca, _caKey))
        using (var socket = await ConnectAsync(ocppId, own))
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes("""[2,"b1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]"""),
                WebSocketMessageType.Text, true, CancellationToken.None);
            var buffer = new byte[4096];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var received = await socket.ReceiveAsync(buffer, timeout.Token);
            Assert.StartsWith("[3,\"b1\",", Encoding.UTF8.GetString(buffer, 0, received.Count));
        }

        // The CA's certificate for another charger: not this one (it needs its secret then).
        using var otherName = ClientCertificate("someone-else", _ca, _caKey);
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(ocppId, otherName));
        Assert.Contains("401", refused.Message);

        // The right name from a CA the host does not trust: the TLS handshake fails.
        using var forged = ClientCertificate(ocppId, null, null);
        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(ocppId, forged));
    }
}
