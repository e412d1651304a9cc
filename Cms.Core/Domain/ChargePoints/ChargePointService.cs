using System.Data.Common;
using Cms.Core.Auth;
using Cms.Core.Domain.Networks;
using Cms.Core.Resources;
using Dapper;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.ChargePoints;

public sealed class ChargePointService(CoreContext core) : ResourceService(core, ChargePointResource.Spec)
{
    public override Task<JObject> CreateAsync(Caller caller, JToken? body) => base.CreateAsync(caller, WithHashedPassword(body));

    public override Task<JObject> UpdateAsync(Caller caller, string id, JToken? body) => base.UpdateAsync(caller, id, WithHashedPassword(body));

    /// <summary>
    /// The deprecated "password" ([Not Implemented] in the spec, yet in its own sample body) is kept only as a hash,
    /// computed before the write lock is taken. Chargers authenticate with the ocpp_settings secret, not with it.
    /// A value that is not a string is left for the validator to refuse.
    /// </summary>
    private static JToken? WithHashedPassword(JToken? body)
    {
        if (body is not JObject obj || obj["password"] is not JValue { Type: JTokenType.String } plain) return body;
        var text = (string)plain!;
        if (text.Length > ChargePointResource.PasswordMaxLength) return body;
        var copy = (JObject)obj.DeepClone();
        copy["password"] = Secrets.HashPassword(text, Secrets.ChargerSecretIterations);
        return copy;
    }

    protected override async Task BeforeWriteAsync(DbConnection conn, DbTransaction tx, Caller caller,
        Dictionary<string, object?> values, IDictionary<string, object?>? existing)
    {
        if (values.TryGetValue("networkId", out var networkId))
            await RequireReferenceAsync(conn, tx, NetworkResource.Spec, caller.CustomerId, "networkId", (string)networkId!);

        // "name" is deprecated and mirrored into customName, as the spec says.
        if (values.TryGetValue("name", out var name) && !values.ContainsKey("customName"))
            values["customName"] = name;

        if (values.TryGetValue("ocppId", out var ocppId) && ocppId is string id)
        {
            var taken = await conn.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM charge_points WHERE customerId = @customerId AND ocppId = @id AND id <> @self",
                new { customerId = caller.CustomerId, id, self = existing?["id"] ?? "" }, tx);
            if (taken > 0) throw ApiFailure.Conflict("ocppId", $"'{id}' is already used by another charge point");
        }
    }

    /// <summary>Its connectors go with it; refused while a session is open so no car loses its limit mid-charge.</summary>
    protected override async Task BeforeDeleteAsync(DbConnection conn, DbTransaction tx, Caller caller, IDictionary<string, object?> existing)
    {
        var open = await conn.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM charging_sessions_live WHERE chargePointId = @id", new { id = existing["id"] }, tx);
        if (open > 0) throw ApiFailure.Conflict("id", "charge point has an active charging session; stop it first");
    }

    protected override void AfterChange(Caller caller, IDictionary<string, object?> row, string what) =>
        Core.Events.Publish(new NetworkChanged(caller.CustomerId, (string)row["networkId"]!, "charge point " + what));
}
