using Cms.Core.Resources;
using Newtonsoft.Json.Linq;

namespace Cms.Api.OpenApi;

/// <summary>JSON Schema (OpenAPI 3.1 dialect) of the fields the API validates and renders.</summary>
public static class FieldSchemas
{
    public static JObject Of(FieldSpec field, bool forRequest)
    {
        var schema = Type(field.Type);
        if (field.AcceptNumberAsString) schema["type"] = new JArray("string", "integer");
        if (field.AcceptNumericString && forRequest) schema["type"] = new JArray("number", "string");
        if (field.MaxLength is { } max && field.Type == FieldType.String) schema["maxLength"] = max;
        if (field.Min is { } min) schema["minimum"] = min;
        if (field.Max is { } top) schema[field.MaxExclusive ? "exclusiveMaximum" : "maximum"] = top;
        if (field.Allowed is { } allowed) schema["enum"] = new JArray(allowed);
        if (field.Pattern is { } pattern) schema["pattern"] = pattern;
        if (field.Default is { } d) schema["default"] = JToken.FromObject(d);
        if (field.ReadOnly) schema["readOnly"] = true;
        if (field.WriteOnly) schema["writeOnly"] = true;
        var nullable = forRequest ? field.Nullable && !field.Required : field.Nullable;
        return nullable ? OrNull(schema) : schema;
    }

    public static JObject Type(FieldType type) => type switch
    {
        FieldType.String => new JObject { ["type"] = "string" },
        FieldType.Integer => new JObject { ["type"] = "integer", ["format"] = "int64" },
        FieldType.Number => new JObject { ["type"] = "number", ["format"] = "double" },
        FieldType.Boolean => new JObject { ["type"] = "boolean" },
        FieldType.DateTime => new JObject { ["type"] = "string", ["format"] = "date-time" },
        FieldType.Uuid => new JObject { ["type"] = "string", ["format"] = "uuid" },
        FieldType.Json => new JObject { ["type"] = new JArray("object", "array") },
        _ => new JObject(),
    };

    /// <summary>3.1 has no "nullable": null joins the type list (enums list null too, or null would fail them).</summary>
    public static JObject OrNull(JObject schema)
    {
        var copy = (JObject)schema.DeepClone();
        copy["type"] = copy["type"] switch
        {
            JArray types => new JArray(types.Append("null")),
            JValue single => new JArray(single, "null"),
            _ => null,
        };
        if (copy["enum"] is JArray values) values.Add(JValue.CreateNull());
        return copy;
    }

    /// <summary>An object schema of the given fields; only create bodies carry "required".</summary>
    public static JObject Object(IEnumerable<FieldSpec> fields, bool isCreate, IEnumerable<FieldSpec>? accepted = null)
    {
        var properties = new JObject();
        var required = new JArray();
        foreach (var field in fields.Where(f => !f.ReadOnly))
        {
            properties[field.Name] = Of(field, forRequest: true);
            if (isCreate && field.Required) required.Add(field.Name);
        }
        foreach (var field in accepted ?? [])
        {
            var schema = Of(field, forRequest: true);
            schema["description"] = "Accepted for compatibility with the spec's samples; the value shown is computed by AmpCMS.";
            properties[field.Name] = schema;
        }
        var result = new JObject { ["type"] = "object", ["properties"] = properties, ["additionalProperties"] = false };
        if (required.Count > 0) result["required"] = required;
        return result;
    }

    /// <summary>What GET renders: id, created, updated, every readable field and the derived ones, nulls included.</summary>
    public static JObject Rendered(ResourceSpec spec)
    {
        var properties = new JObject
        {
            ["id"] = Type(FieldType.Uuid),
            ["created"] = Type(FieldType.DateTime),
            ["updated"] = Type(FieldType.DateTime),
        };
        foreach (var field in spec.Fields.Where(f => !f.WriteOnly))
        {
            var schema = Of(field, forRequest: false);
            schema.Remove("writeOnly");
            properties[field.Name] = schema;
        }
        foreach (var derived in spec.Derived)
        {
            var schema = OrNull(Type(derived.Type));
            schema["readOnly"] = true;
            properties[derived.Name] = schema;
        }
        return new JObject
        {
            ["type"] = "object",
            ["properties"] = properties,
            ["required"] = new JArray(properties.Properties().Select(p => p.Name)),
        };
    }
}
