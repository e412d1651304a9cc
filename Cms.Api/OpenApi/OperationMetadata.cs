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
    public QueryParameters(params string[] names) : this(names.Select(n => new QueryParameter(n)).ToList()) { }
}

public sealed record QueryParameter(string Name, FieldType Type = FieldType.String, bool Required = false,
    IReadOnlyList<string>? Allowed = null, string? Description = null);
