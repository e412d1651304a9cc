using Cms.Core.Domain.Ocpp;
using Cms.Ocpp.Endpoint;

namespace Cms.Ocpp.Csms;

/// <summary>Lets Core's <see cref="ChargerAccess"/> decide; the admitted charge point rides along as the connection's context.</summary>
public sealed class CsmsAuthenticator(ChargerAccess access) : IChargerAuthenticator
{
    public async Task<ChargerAuthResult> AuthenticateAsync(ChargerAuthRequest request, CancellationToken ct)
    {
        var certificateName = request.ClientCertificate?.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, forIssuer: false);
        var admission = await access.AdmitAsync(request.CustomerShortName, request.OcppId, request.Username, request.Password, certificateName);
        return admission switch
        {
            ChargerAdmitted admitted => ChargerAuthResult.Accept(admitted, request.CustomerShortName ?? "default"),
            ChargerRefused refused => ChargerAuthResult.Refuse(refused.HttpStatus, refused.Reason),
            _ => ChargerAuthResult.Refuse(500, "unexpected admission result"),
        };
    }
}
