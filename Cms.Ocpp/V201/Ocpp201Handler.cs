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
        JObject.FromObject((await HandleAsync(charger, Read(payload)))!, Ocpp201Json.Serializer);

    /// <summary>The typed request. A schema-valid value the record cannot hold (an integer beyond 32 bits, which the
    /// schemas leave unbounded) is refused naming its path, not answered with an InternalError.</summary>
    private static TRequest Read(JObject payload)
    {
        using var reader = new JTokenReader(payload);
        try { return Ocpp201Json.Serializer.Deserialize<TRequest>(reader)!; }
        catch (Exception e) when (e is JsonException or OverflowException or FormatException)
        {
            var path = reader.Path;
            throw OcppCallException.Violation(path, $"{path}: {payload.SelectToken(path)} does not fit the field's range");
        }
    }

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
