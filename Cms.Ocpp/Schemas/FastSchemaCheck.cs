using System.Globalization;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Schemas;

/// <summary>
/// An official OCPP schema compiled once into a tree of closures that answers "certainly valid". It only ever says
/// yes to payloads NJsonSchema accepts too: anything it is unsure of (a keyword it does not know, a float where an
/// integer is wanted, an unusual date form) answers no, and <see cref="SchemaValidator"/> then asks NJsonSchema, which
/// gives the verdict and the error. So validation stays exactly as strict while a valid payload costs microseconds.
/// </summary>
public static class FastSchemaCheck
{
    /// <summary>Keywords that describe but never constrain.</summary>
    static readonly HashSet<string> Annotations = ["$schema", "$id", "id", "$comment", "description", "javaType", "default", "title", "definitions"];

    /// <summary>A subset of the date-time forms NJsonSchema accepts (its list is longer): only these are answered here.</summary>
    static readonly string[] DateTimeForms = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK"];

    /// <summary>A date-time in a form NJsonSchema certainly accepts (false: not, or not certainly).</summary>
    public static bool IsDateTime(string text) =>
        DateTimeOffset.TryParseExact(text, DateTimeForms, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    /// <summary>The compiled check, or null when the schema uses something this compiler does not handle.</summary>
    public static Func<JToken, bool>? TryCompile(JObject schema)
    {
        try { return Compile(schema, schema, depth: 0); }
        catch (NotSupportedException) { return null; }
    }

    static Func<JToken, bool> Compile(JObject node, JObject root, int depth)
    {
        if (depth > 32) throw new NotSupportedException("schema nests too deep");
        if (node["$ref"] is JValue { Type: JTokenType.String } reference)
        {
            if (node.Properties().Any(p => p.Name != "$ref" && !Annotations.Contains(p.Name)))
                throw new NotSupportedException("$ref beside constraints");
            var path = (string)reference!;
            if (!path.StartsWith("#/definitions/", StringComparison.Ordinal)
                || root["definitions"]?[path["#/definitions/".Length..]] is not JObject target)
                throw new NotSupportedException($"$ref {path}");
            return Compile(target, root, depth + 1);
        }
        var checks = new List<Func<JToken, bool>>();
        foreach (var p in node.Properties())
        {
            if (Annotations.Contains(p.Name)) continue;
            switch (p.Name)
            {
                case "type": checks.Add(TypeCheck(p.Value)); break;
                case "properties": case "required": case "additionalProperties": break; // compiled together below
                case "enum":
                    if (p.Value is not JArray values || values.Any(v => v.Type != JTokenType.String)) throw new NotSupportedException("enum");
                    var allowed = values.Select(v => (string)v!).ToHashSet(StringComparer.Ordinal);
                    checks.Add(t => t.Type == JTokenType.String && allowed.Contains((string)t!));
                    break;
                case "maxLength":
                    var max = (int)p.Value;
                    checks.Add(t => t.Type != JTokenType.String || ((string)t!).Length <= max);
                    break;
                case "format":
                    if ((string?)p.Value != "date-time") throw new NotSupportedException("format " + p.Value);
                    checks.Add(t => t.Type == JTokenType.String && IsDateTime((string)t!));
                    break;
                case "items":
                    if (p.Value is not JObject itemSchema) throw new NotSupportedException("items");
                    var item = Compile(itemSchema, root, depth + 1);
                    checks.Add(t => t is not JArray a || a.All(item));
                    break;
                case "minItems":
                    var minItems = (int)p.Value;
                    checks.Add(t => t is not JArray a || a.Count >= minItems);
                    break;
                case "maxItems":
                    var maxItems = (int)p.Value;
                    checks.Add(t => t is not JArray a || a.Count <= maxItems);
                    break;
                case "minimum":
                    var minimum = (decimal)p.Value;
                    checks.Add(t => ExactNumber(t) is { } v && v >= minimum);
                    break;
                case "maximum":
                    var maximum = (decimal)p.Value;
                    checks.Add(t => ExactNumber(t) is { } v && v <= maximum);
                    break;
                case "multipleOf":
                    var step = (decimal)p.Value;
                    if (step <= 0) throw new NotSupportedException("multipleOf");
                    checks.Add(t => ExactNumber(t) is { } v && v % step == 0);
                    break;
                default:
                    throw new NotSupportedException("keyword " + p.Name);
            }
        }
        if (node["properties"] is JObject || node["required"] is not null || node["additionalProperties"] is not null)
            checks.Add(ObjectCheck(node, root, depth));
        var all = checks.ToArray();
        return t =>
        {
            foreach (var check in all)
                if (!check(t)) return false;
            return true;
        };
    }

    static Func<JToken, bool> TypeCheck(JToken type) => (string?)type switch
    {
        "object" => t => t.Type == JTokenType.Object,
        "array" => t => t.Type == JTokenType.Array,
        "string" => t => t.Type == JTokenType.String,
        "integer" => t => t.Type == JTokenType.Integer,
        "number" => t => t.Type is JTokenType.Integer or JTokenType.Float,
        "boolean" => t => t.Type == JTokenType.Boolean,
        _ => throw new NotSupportedException("type " + type),
    };

    static Func<JToken, bool> ObjectCheck(JObject node, JObject root, int depth)
    {
        var properties = new Dictionary<string, Func<JToken, bool>>(StringComparer.Ordinal);
        if (node["properties"] is JObject props)
            foreach (var p in props.Properties())
                properties[p.Name] = p.Value is JObject s ? Compile(s, root, depth + 1) : throw new NotSupportedException("property " + p.Name);
        var required = node["required"] is JArray r ? r.Select(x => (string)x!).ToArray() : [];
        var closed = node["additionalProperties"] switch
        {
            null => false,
            JValue { Type: JTokenType.Boolean } v => !(bool)v,
            _ => throw new NotSupportedException("additionalProperties schema"),
        };
        return t =>
        {
            if (t is not JObject o) return true; // "type" decides about non-objects
            foreach (var name in required)
                if (!o.ContainsKey(name)) return false;
            foreach (var p in o.Properties())
            {
                if (properties.TryGetValue(p.Name, out var check)) { if (!check(p.Value)) return false; }
                else if (closed) return false;
            }
            return true;
        };
    }

    /// <summary>Integers and decimals (frames are parsed with decimal floats) compare exactly; anything else is left to NJsonSchema.</summary>
    static decimal? ExactNumber(JToken t) => t is JValue { Value: long or int or decimal } v ? Convert.ToDecimal(v.Value, CultureInfo.InvariantCulture) : null;
}
