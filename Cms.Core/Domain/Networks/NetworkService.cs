using System.Data.Common;
using Cms.Core.Auth;
using Cms.Core.Resources;
using Dapper;

namespace Cms.Core.Domain.Networks;

public sealed class NetworkService(CoreContext core) : ResourceService(core, NetworkResource.Spec)
{
    protected override Task BeforeWriteAsync(DbConnection conn, DbTransaction tx, Caller caller,
        Dictionary<string, object?> values, IDictionary<string, object?>? existing)
    {
        if (values.TryGetValue("timeZone", out var tz) && tz is string zone && !IsKnownTimeZone(zone))
            throw ApiFailure.Invalid("timeZone", $"'{zone}' is not an IANA time zone");
        // A webhook without a secret could not be verified by the receiver; the spec requires both.
        if (Merged(values, existing, "webhook") is not null && Merged(values, existing, "webhookSecret") is null)
            throw ApiFailure.Invalid("webhookSecret", "is required when webhook is set");
        if (values.TryGetValue("webhook", out var url) && url is string u && !IsHttpUrl(u))
            throw ApiFailure.Invalid("webhook", "must be an absolute http(s) URL");
        return Task.CompletedTask;
    }

    /// <summary>Refused while charge points remain: deleting a site must not silently drop chargers and their history.</summary>
    protected override async Task BeforeDeleteAsync(DbConnection conn, DbTransaction tx, Caller caller, IDictionary<string, object?> existing)
    {
        var chargePoints = await conn.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM charge_points WHERE networkId = @id", new { id = existing["id"] }, tx);
        if (chargePoints > 0)
            throw ApiFailure.Conflict("id", $"network still has {chargePoints} charge point(s); delete or move them first");
    }

    protected override void AfterChange(Caller caller, IDictionary<string, object?> row, string what) =>
        Core.Events.Publish(new NetworkChanged(caller.CustomerId, (string)row["id"]!, "network " + what));

    private static bool IsKnownTimeZone(string zone)
    {
        try { TimeZoneInfo.FindSystemTimeZoneById(zone); return true; }
        catch (TimeZoneNotFoundException) { return false; }
        catch (InvalidTimeZoneException) { return false; }
    }

    private static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
