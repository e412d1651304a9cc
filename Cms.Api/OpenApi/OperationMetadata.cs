using Cms.Core.Resources;

namespace Cms.Api.OpenApi;

public enum ResourceOperationKind { List, Get, Create, BatchCreate, Update, Delete }

/// <summary>
/// Endpoint metadata: this route runs the standard operation of a resource service, so the OpenAPI document takes its
/// filters, sort keys, body fields and response shape from that service's <see cref="ResourceSpec"/>.
/// </summary>
public sealed record ResourceOperation(Type ServiceType, ResourceOperationKind Kind);

/// <summary>Endpoint metadata for routes that are not a standard resource operation: the body fields they validate.</summary>
public sealed record BodyFields(IReadOnlyList<FieldSpec> Fields, bool IsCreate);

/// <summary>Endpoint metadata: query parameters a route reads besides its path (name, JSON type, required).</summary>
public sealed record QueryParameters(IReadOnlyList<QueryParameter> Parameters)
{
    /// <summary>The parameters a handler's own list declares; <paramref name="required"/> of them must be given.</summary>
    public static QueryParameters Of(IEnumerable<string> names, params string[] required) =>
        new(names.Select(n => QueryParameter.Named(n, required.Contains(n))).ToList());
}

public sealed record QueryParameter(string Name, FieldType Type = FieldType.String, bool Required = false,
    IReadOnlyList<string>? Allowed = null, string? Description = null)
{
    private static readonly string[] Ids = ["network", "connector", "chargepoint", "optimization", "charging_session", "vehicle", "customer", "user", "configuration_uuid"];

    /// <summary>A parameter typed by the API's naming: ids are UUIDs, start/end times, limit/offset integers.</summary>
    public static QueryParameter Named(string name, bool required = false) => name switch
    {
        _ when Ids.Contains(name) => new(name, FieldType.Uuid, required),
        "start" or "end" or "updated" => new(name, FieldType.DateTime, required),
        "limit" or "offset" or "intervalLength" => new(name, FieldType.Integer, required),
        "resolution" => new(name, FieldType.String, required, ["1m", "15m", "5h", "2d", "4w"]),
        _ => new(name, FieldType.String, required),
    };
}
