using Cms.Core.Domain.Ocpp;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Serialization;

namespace Cms.Ocpp.V201;

/// <summary>One OCPP 2.0.1 charger→CSMS action; the adapter finds it by <see cref="Action"/>.</summary>
public interface IOcpp201Handler
{
    string Action { get; }

    /// <summary>The payload is already schema-valid; the answer is schema-checked by the connection before it is sent.</summary>
    Task<JObject> HandleAsync(ChargerAdmitted charger, JObject payload);
}

/// <summary>
/// A handler on typed payloads: <typeparamref name="TRequest"/> is read from the frame (camelCase JSON onto the
/// record's properties) and <typeparamref name="TResponse"/> written back with absent optional fields left out, as
/// the schemas want. The action is the request type's name without "Request".
/// </summary>
public abstract class Ocpp201Handler<TRequest, TResponse> : IOcpp201Handler
{
    public virtual string Action => typeof(TRequest).Name.EndsWith("Request", StringComparison.Ordinal)
        ? typeof(TRequest).Name[..^"Request".Length] : typeof(TRequest).Name;

    public async Task<JObject> HandleAsync(ChargerAdmitted charger, JObject payload) =>
        JObject.FromObject((await HandleAsync(charger, payload.ToObject<TRequest>(Ocpp201Json.Serializer)!))!, Ocpp201Json.Serializer);

    protected abstract Task<TResponse> HandleAsync(ChargerAdmitted charger, TRequest request);
}

/// <summary>How 2.0.1 payloads map to the typed records.</summary>
public static class Ocpp201Json
{
    public static readonly JsonSerializer Serializer = JsonSerializer.Create(new JsonSerializerSettings
    {
        ContractResolver = new CamelCasePropertyNamesContractResolver(),
        NullValueHandling = NullValueHandling.Ignore,
        DateParseHandling = DateParseHandling.DateTimeOffset,
        DateTimeZoneHandling = DateTimeZoneHandling.Utc,
    });
}
