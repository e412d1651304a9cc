using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Cms.Host.Robustness;

/// <summary>
/// OCPP security profile 3: chargers present a TLS client certificate whose common name is their ocppId. With
/// Ocpp:ClientCertificateAuthority set (a PEM or DER CA certificate), every HTTPS endpoint asks for a client
/// certificate and accepts only those that chain to that CA; ChargerAccess then admits the charger its name matches.
/// Chargers without a certificate still connect with Basic auth (profiles 1 and 2).
/// </summary>
public static class ClientCertificates
{
    public static void UseChargerClientCertificates(this WebApplicationBuilder builder)
    {
        var caPath = builder.Configuration["Ocpp:ClientCertificateAuthority"];
        if (string.IsNullOrEmpty(caPath)) return;
        var authority = X509CertificateLoader.LoadCertificateFromFile(caPath);
        builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.ConfigureHttpsDefaults(https =>
        {
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            https.ClientCertificateValidation = (certificate, _, _) => ChainsTo(certificate, authority);
        }));
    }

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
