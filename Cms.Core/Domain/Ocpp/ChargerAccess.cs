using Cms.Core.Auth;
using Cms.Core.Domain.ChargePoints;
using Cms.Core.Resources;
using Dapper;

namespace Cms.Core.Domain.Ocpp;

/// <summary>The outcome of a charger's connection attempt.</summary>
public abstract record ChargerAdmission;

/// <summary>Accepted: the charger is this charge point (created just now when it was unknown and used the customer secret).</summary>
/// <param name="Proxy">Set when the feature in force is proxy: where to relay this charger's traffic, and with which credentials.</param>
public sealed record ChargerAdmitted(string CustomerId, string ChargePointId, string NetworkId, string OcppId, bool Created,
    ProxyTarget? Proxy = null) : ChargerAdmission;

/// <summary>
/// The upstream CMS of a proxied charger: targetCmsUrl + "/" + ocppId. The charger's own Basic credentials (if it sent
/// any) are forwarded unchanged, so the upstream authenticates the charger exactly as it would without AmpCMS.
/// </summary>
public sealed record ProxyTarget(Uri Url, string? Username, string? Password);

/// <summary>Refused with the HTTP status to answer the upgrade with, and why (logged, never sent to the charger).</summary>
public sealed record ChargerRefused(int HttpStatus, string Reason) : ChargerAdmission;

/// <summary>
/// Decides who may connect at /ocpp/{customer}/{ocppId}: the feature in force (charge point setting, else customer's),
/// HTTP Basic with the charge point's secret or else the customer's, no auth where no secret exists anywhere
/// (security profile 0), and creation of unknown chargers that present the customer secret.
/// </summary>
public sealed class ChargerAccess(CoreContext core, OcppDefaults defaults, OcppEventLog events)
{
    /// <param name="certificateName">
    /// The common name of a TLS client certificate Kestrel has already validated (security profile 3); a known charger
    /// whose certificate names it is admitted without Basic auth.
    /// </param>
    public async Task<ChargerAdmission> AdmitAsync(string? customerShortName, string ocppId, string? username, string? password,
        string? certificateName = null)
    {
        var customer = await core.Db.ReadAsync(conn => conn.QueryFirstOrDefaultAsync<(string Id, string? Secret, string? Feature, string? DefaultNetworkId, string? TargetCmsUrl)?>(
            "SELECT c.id, s.secret, s.feature, s.defaultNetworkId, s.targetCmsUrl FROM customers c LEFT JOIN ocpp_settings s ON s.customerId = c.id " +
            "WHERE c.shortName = @shortName", new { shortName = customerShortName ?? "default" }));
        if (customer is not { } c) return new ChargerRefused(404, $"unknown customer '{customerShortName}'");

        var known = await core.Db.ReadAsync(conn => conn.QueryFirstOrDefaultAsync<(string Id, string NetworkId, string? Secret, string? Feature)?>(
            "SELECT cp.id, cp.networkId, s.secret, s.feature FROM charge_points cp " +
            "LEFT JOIN charge_point_ocpp_settings s ON s.chargePointId = cp.id WHERE cp.customerId = @customerId AND cp.ocppId = @ocppId",
            new { customerId = c.Id, ocppId }));

        var feature = known?.Feature ?? c.Feature ?? defaults.Feature;
        ChargerAdmission admission = feature switch
        {
            "off" => new ChargerRefused(403, "OCPP feature is off for this customer or charge point"),
            "proxy" when ProxyUrl(c.TargetCmsUrl, ocppId) is null => new ChargerRefused(403, "feature is proxy but targetCmsUrl is not a ws:// or wss:// URL"),
            _ when known is { } cp && certificateName == ocppId => new ChargerAdmitted(c.Id, cp.Id, cp.NetworkId, ocppId, Created: false),
            _ when known is { } cp => AdmitKnown(c.Id, ocppId, cp.Id, cp.NetworkId, cp.Secret ?? c.Secret, username, password),
            _ => await AdmitUnknownAsync(c.Id, ocppId, c.Secret, c.DefaultNetworkId, username, password),
        };

        if (feature == "proxy" && admission is ChargerAdmitted admitted)
            admission = admitted with { Proxy = new ProxyTarget(ProxyUrl(c.TargetCmsUrl, ocppId)!, username, password) };

        if (admission is ChargerRefused refused)
            await events.RecordAsync(c.Id, OcppEventLog.Authentication, "Warning", known?.Id, ocppId, known?.NetworkId,
                $"connection refused ({refused.HttpStatus}): {refused.Reason}");
        else if (admission is ChargerAdmitted { Created: true } created)
            await events.RecordAsync(c.Id, OcppEventLog.Authentication, "Info", created.ChargePointId, ocppId, created.NetworkId,
                "unknown charger authenticated with the customer secret and was created");
        return admission;
    }

    private static ChargerAdmission AdmitKnown(string customerId, string ocppId, string chargePointId, string networkId,
        string? secretHash, string? username, string? password)
    {
        if (secretHash is not null && !CredentialsMatch(ocppId, secretHash, username, password))
            return new ChargerRefused(401, password is null ? "Basic authentication required" : "wrong username or password");
        return new ChargerAdmitted(customerId, chargePointId, networkId, ocppId, Created: false);
    }

    private async Task<ChargerAdmission> AdmitUnknownAsync(string customerId, string ocppId, string? customerSecret,
        string? defaultNetworkId, string? username, string? password)
    {
        if (customerSecret is null || !CredentialsMatch(ocppId, customerSecret, username, password))
            return new ChargerRefused(404, "unknown charger");
        if (defaultNetworkId is null)
            return new ChargerRefused(404, "unknown charger and no defaultNetworkId to create it in");

        var id = core.Ids.NewId();
        var created = await core.Db.WriteAsync(async (conn, tx) =>
        {
            // A parallel connection of the same new charger may have created it a moment ago.
            var existing = await conn.ExecuteScalarAsync<string?>(
                "SELECT id FROM charge_points WHERE customerId = @customerId AND ocppId = @ocppId", new { customerId, ocppId }, tx);
            if (existing is not null) return existing;
            await ResourceStore.InsertAsync(conn, tx, ChargePointResource.Spec, customerId, new Dictionary<string, object?>
            {
                ["maxCapacity"] = 22.0, ["name"] = ocppId, ["customName"] = ocppId, ["networkId"] = defaultNetworkId,
                ["ocppId"] = ocppId, ["source"] = "CMS", ["orientation"] = 0.0,
            }, core.Clock.GetUtcNow(), id);
            return id;
        });
        core.Events.Publish(new NetworkChanged(customerId, defaultNetworkId, "charger created"));
        return new ChargerAdmitted(customerId, created, defaultNetworkId, ocppId, Created: created == id);
    }

    /// <summary>targetCmsUrl + the charger's ocppId (escaped), or null when the URL is not a WebSocket URL.</summary>
    private static Uri? ProxyUrl(string? targetCmsUrl, string ocppId) =>
        Uri.TryCreate(targetCmsUrl, UriKind.Absolute, out var target) && target.Scheme is "ws" or "wss"
            ? new Uri(target.ToString().TrimEnd('/') + "/" + Uri.EscapeDataString(ocppId))
            : null;

    private static bool CredentialsMatch(string ocppId, string secretHash, string? username, string? password) =>
        username == ocppId && password is not null && VerifiedCredentials.Verify(password, secretHash);
}
