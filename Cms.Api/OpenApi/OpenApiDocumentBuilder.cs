using Cms.Api.Http;
using Cms.Core.Domain;
using Cms.Core.Resources;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace Cms.Api.OpenApi;

/// <summary>
/// Builds the OpenAPI 3.1 document at run time from what the host has mapped: every /v2 route endpoint with its methods
/// and path parameters, and, where the route runs a resource service (<see cref="ResourceOperation"/>), that service's
/// filters, sort keys, body fields and rendered shape. A route added later appears without any edit here.
/// </summary>
public sealed class OpenApiDocumentBuilder(EndpointDataSource endpoints, IServiceProvider services)
{
    public const string Version = "3.1.1";
    private static readonly string[] MethodOrder = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    public JObject Build()
    {
        var paths = new JObject();
        var schemas = new JObject
        {
            ["JsendFail"] = new JObject
            {
                ["type"] = "object",
                ["description"] = "A client error: data names each bad field (or path, method, authorization) and says why.",
                ["properties"] = new JObject
                {
                    ["status"] = new JObject { ["const"] = "fail" },
                    ["data"] = new JObject { ["type"] = "object", ["additionalProperties"] = new JObject { ["type"] = "string" } },
                },
                ["required"] = new JArray("status", "data"),
            },
            ["JsendError"] = new JObject
            {
                ["type"] = "object",
                ["description"] = "A server error; nothing was changed.",
                ["properties"] = new JObject
                {
                    ["status"] = new JObject { ["const"] = "error" },
                    ["message"] = new JObject { ["type"] = "string" },
                },
                ["required"] = new JArray("status", "message"),
            },
        };
        var operations = endpoints.Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Path: PathOf(e.RoutePattern)))
            .Where(e => e.Path.StartsWith("/v2/", StringComparison.Ordinal))
            .SelectMany(e => (e.Endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
                .Select(m => (e.Endpoint, e.Path, Method: m.ToUpperInvariant())))
            .OrderBy(o => o.Path, StringComparer.Ordinal)
            .ThenBy(o => Array.IndexOf(MethodOrder, o.Method));
        foreach (var (endpoint, path, method) in operations)
        {
            if (paths[path] is not JObject item) paths[path] = item = new JObject();
            item[method.ToLowerInvariant()] = Operation(endpoint, path, method, schemas);
        }
        return new JObject
        {
            ["openapi"] = Version,
            ["info"] = new JObject
            {
                ["title"] = "AmpCMS API",
                ["version"] = "2.0.0",
                ["summary"] = "The Ampcontrol v2 REST API as AmpCMS serves it.",
                ["description"] = "Every answer is a JSend envelope: {\"status\":\"success\",\"data\":[…],\"total\":N}, " +
                    "client errors {\"status\":\"fail\",\"data\":{\"field\":\"why\"}}, server errors {\"status\":\"error\",\"message\":\"…\"}. " +
                    "Lists take limit (1..1000, default 100), offset and sort=field:asc|desc; repeat a filter key for any of several values. " +
                    "Generated from the routes and resource declarations AmpCMS runs on.",
                ["license"] = new JObject { ["name"] = "Open source" },
            },
            ["paths"] = paths,
            ["components"] = new JObject
            {
                ["schemas"] = schemas,
                ["securitySchemes"] = new JObject
                {
                    ["bearer"] = new JObject { ["type"] = "http", ["scheme"] = "bearer", ["description"] = "An API token from POST /v2/users/login." },
                },
            },
            ["security"] = new JArray(new JObject { ["bearer"] = new JArray() }),
        };
    }

    /// <summary>"/v2/networks/{id}" from the route pattern, without constraints or a trailing slash.</summary>
    public static string PathOf(RoutePattern pattern)
    {
        var segments = pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => "",
        })));
        return "/" + string.Join("/", segments.Where(s => s.Length > 0));
    }

    private JObject Operation(RouteEndpoint endpoint, string path, string method, JObject schemas)
    {
        var resource = endpoint.Metadata.GetMetadata<ResourceOperation>();
        var service = resource is null ? null : services.GetService(resource.ServiceType) as ResourceService;
        var itemSchema = service is null ? null : SchemaRef(service, schemas);
        var operation = new JObject
        {
            ["operationId"] = OperationId(method, path),
            ["tags"] = new JArray(Tag(path)),
        };
        var summary = endpoint.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary ?? Summary(resource, service, method, path);
        operation["summary"] = summary;
        if (endpoint.Metadata.GetMetadata<IEndpointDescriptionMetadata>()?.Description is { } description)
            operation["description"] = description;

        var parameters = new JArray();
        foreach (var parameter in endpoint.RoutePattern.Parameters)
            parameters.Add(new JObject
            {
                ["name"] = parameter.Name, ["in"] = "path", ["required"] = true,
                ["schema"] = parameter.Name == "id" ? FieldSchemas.Type(FieldType.Uuid) : FieldSchemas.Type(FieldType.String),
            });
        if (resource?.Kind == ResourceOperationKind.List && service is not null)
            foreach (var p in ListParameters(service)) parameters.Add(p);
        foreach (var p in endpoint.Metadata.GetMetadata<QueryParameters>()?.Parameters ?? [])
            if (!parameters.Any(existing => (string?)existing["name"] == p.Name))
                parameters.Add(Query(p.Name, FieldSchemas.Type(p.Type), p.Required, p.Description, p.Allowed));
        if (parameters.Count > 0) operation["parameters"] = parameters;

        if (RequestBody(endpoint, service, resource, method) is { } body)
            operation["requestBody"] = new JObject
            {
                ["required"] = true,
                ["content"] = new JObject { ["application/json"] = new JObject { ["schema"] = body } },
            };

        var created = resource?.Kind is ResourceOperationKind.Create or ResourceOperationKind.BatchCreate;
        operation["responses"] = new JObject
        {
            [created ? "201" : "200"] = Response(created ? "Created" : "Success", Success(itemSchema)),
            ["400"] = Response("Bad input: data names the field", Ref("JsendFail")),
            ["401"] = Response("Missing or invalid bearer token", Ref("JsendFail")),
            ["403"] = Response("Not allowed for this user type", Ref("JsendFail")),
            ["404"] = Response("Not found (or another customer's)", Ref("JsendFail")),
            ["500"] = Response("Server error; nothing was changed", Ref("JsendError")),
        };
        if (BearerAuth.IsAnonymous(path)) operation["security"] = new JArray();
        return operation;
    }

    private static IEnumerable<JObject> ListParameters(ResourceService service)
    {
        var spec = service.Spec;
        var required = service.RequiredListParams.ToHashSet();
        yield return Query("limit", new JObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 1000, ["default"] = 100 },
            false, "The number of items to return.");
        yield return Query("offset", new JObject { ["type"] = "integer", ["minimum"] = 0, ["default"] = 0 },
            false, "The number of items to skip; total counts the items before paging.");
        var sortable = spec.SortableNames.Distinct().ToList();
        yield return Query("sort", new JObject { ["type"] = "string", ["example"] = sortable[0] + ":desc" }, false,
            $"field:asc or field:desc, several separated by commas (snake_case names work too). Default {spec.DefaultSort}. " +
            "Fields: " + string.Join(", ", sortable) + ".");
        if (spec.SearchColumns.Count > 0)
            yield return Query("search", FieldSchemas.Type(FieldType.String), false,
                "Case-insensitive substring of any of: " + string.Join(", ", spec.SearchColumns.Select(c => c.Replace("t.", "", StringComparison.Ordinal))) + ".");
        if (spec.DeprecatedSortBy is { } sortBy)
        {
            var bySchema = new JObject { ["type"] = "string", ["enum"] = new JArray(sortBy) };
            var by = Query("sort_by", bySchema, false, "Deprecated: use sort. Sort by this field.");
            by["deprecated"] = true;
            yield return by;
            var order = Query("order", new JObject { ["type"] = "string", ["enum"] = new JArray("ascending", "descending"), ["default"] = "descending" },
                false, "Deprecated: use sort. Ordering for sort_by.");
            order["deprecated"] = true;
            yield return order;
        }
        foreach (var filter in spec.Filters)
        {
            var schema = FieldSchemas.Type(filter.Type);
            if (filter.Allowed is { } allowed) schema["enum"] = new JArray(allowed);
            yield return Query(filter.Param, schema, required.Contains(filter.Param), "Filter; repeat the key for any of several values.");
        }
    }

    private static JObject Query(string name, JObject schema, bool required, string? description, IReadOnlyList<string>? allowed = null)
    {
        if (allowed is not null) schema["enum"] = new JArray(allowed);
        var parameter = new JObject { ["name"] = name, ["in"] = "query", ["required"] = required, ["schema"] = schema };
        if (description is not null) parameter["description"] = description;
        return parameter;
    }

    private static JObject? RequestBody(RouteEndpoint endpoint, ResourceService? service, ResourceOperation? resource, string method)
    {
        if (endpoint.Metadata.GetMetadata<BodyFields>() is { } declared) return FieldSchemas.Object(declared.Fields, declared.IsCreate);
        var accepted = service?.Spec.Derived.Where(d => d.AcceptedInput is not null).Select(d => d.AcceptedInput!).ToList();
        switch (resource?.Kind)
        {
            case ResourceOperationKind.Create when service is not null:
                return FieldSchemas.Object(service.CreateFields, isCreate: true, accepted);
            case ResourceOperationKind.Update when service is not null:
                return FieldSchemas.Object(service.UpdateFields, isCreate: false, accepted);
            case ResourceOperationKind.BatchCreate when service is NetworkInputService { BatchField: { } batch } input:
                return new JObject
                {
                    ["type"] = "object",
                    ["properties"] = new JObject
                    {
                        ["networkId"] = FieldSchemas.Type(FieldType.Uuid),
                        [batch] = new JObject
                        {
                            ["type"] = "array", ["minItems"] = 1, ["maxItems"] = input.MaxBatch,
                            ["items"] = FieldSchemas.Object(input.CreateFields.Where(f => f.Name != "networkId"), isCreate: true),
                        },
                    },
                    ["required"] = new JArray("networkId", batch),
                    ["additionalProperties"] = false,
                };
            case ResourceOperationKind.BatchCreate when service is not null:
                return FieldSchemas.Object(service.CreateFields, isCreate: true, accepted);
        }
        // A route without declarations: it reads a JSON object when its method carries a body.
        return method is "POST" or "PATCH" or "PUT" ? new JObject { ["type"] = "object" } : null;
    }

    private static JObject SchemaRef(ResourceService service, JObject schemas)
    {
        var name = string.Concat(service.Spec.Name.Split(' ', '_').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));
        schemas[name] ??= FieldSchemas.Rendered(service.Spec);
        return Ref(name);
    }

    /// <summary>The success envelope; data is the list of items (or, for routes without a declared item, any JSON).</summary>
    private static JObject Success(JObject? item) => new()
    {
        ["type"] = "object",
        ["properties"] = new JObject
        {
            ["status"] = new JObject { ["const"] = "success" },
            ["data"] = item is null ? new JObject() : new JObject { ["type"] = "array", ["items"] = item },
            ["total"] = new JObject { ["type"] = "integer", ["minimum"] = 0 },
        },
        ["required"] = new JArray("status", "data", "total"),
    };

    private static JObject Response(string description, JObject schema) => new()
    {
        ["description"] = description,
        ["content"] = new JObject { ["application/json"] = new JObject { ["schema"] = schema } },
    };

    private static JObject Ref(string name) => new() { ["$ref"] = "#/components/schemas/" + name };

    private static string Tag(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(1).FirstOrDefault() ?? "v2";

    private static string OperationId(string method, string path) =>
        method.ToLowerInvariant() + string.Concat(path.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(s => s.Trim('{', '}')).SelectMany(s => s.Split('_'))
            .Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));

    private static string Summary(ResourceOperation? resource, ResourceService? service, string method, string path)
    {
        if (resource is null || service is null) return $"{method} {path}";
        var name = service.Spec.Name;
        return resource.Kind switch
        {
            ResourceOperationKind.List => $"List {name}s",
            ResourceOperationKind.Get => $"Get a {name}",
            ResourceOperationKind.Create => $"Create a {name}",
            ResourceOperationKind.BatchCreate => $"Create {name}s",
            ResourceOperationKind.Update => $"Update a {name}",
            ResourceOperationKind.Delete => $"Delete a {name}",
            _ => $"{method} {path}",
        };
    }

    public static OpenApiDocumentBuilder For(IServiceProvider services) =>
        new(services.GetRequiredService<EndpointDataSource>(), services);
}
