using Cms.Core.Domain.Ocpp;
using Cms.Ocpp.V201.Types;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.V201.Actions;

/// <summary>
/// Certificate requests need a PKI (a CA to sign CSRs, a contract certificate pool, an OCSP responder). AmpCMS has none
/// configured, so each gets the refusal its schema defines, with statusInfo "NoPKI", and a warning in the log naming
/// the station: a station that asks is one an operator must equip by other means.
/// </summary>
public abstract class RefusedCertificateRequest(string action, ILogger log) : IOcpp201Handler
{
    public string Action => action;

    protected abstract JObject Refusal { get; }

    public Task<JObject> HandleAsync(ChargerAdmitted charger, JObject payload)
    {
        log.LogWarning("{ChargePointId} sent {Action}: no PKI is configured, refused", charger.OcppId, action);
        var answer = (JObject)Refusal.DeepClone();
        answer["statusInfo"] = JObject.FromObject(new StatusInfoType { ReasonCode = "NoPKI", AdditionalInfo = "no certificate authority is configured in this CSMS" }, Ocpp201Json.Serializer);
        return Task.FromResult(answer);
    }
}

public sealed class SignCertificateHandler(ILogger<SignCertificateHandler> log) : RefusedCertificateRequest("SignCertificate", log)
{
    protected override JObject Refusal => new() { ["status"] = "Rejected" };
}

public sealed class Get15118EVCertificateHandler(ILogger<Get15118EVCertificateHandler> log) : RefusedCertificateRequest("Get15118EVCertificate", log)
{
    // exiResponse is required even on failure; an empty EXI response says there is nothing to install.
    protected override JObject Refusal => new() { ["status"] = "Failed", ["exiResponse"] = "" };
}

public sealed class GetCertificateStatusHandler(ILogger<GetCertificateStatusHandler> log) : RefusedCertificateRequest("GetCertificateStatus", log)
{
    protected override JObject Refusal => new() { ["status"] = "Failed" };
}
