using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Resources;

/// <summary>Turns a stored row into the API's JSON object: id, created, updated, every readable field (nulls included), derived fields.</summary>
public static class RowRenderer
{
    public static JObject Render(ResourceSpec spec, IDictionary<string, object?> row)
    {
        var json = new JObject
        {
            ["id"] = (string?)row["id"],
            ["created"] = (string?)row["created"],
            ["updated"] = (string?)row["updated"],
        };
        foreach (var field in spec.Fields.Where(f => !f.WriteOnly))
            json[field.Name] = ToJson(field.Type, row.TryGetValue(field.Name, out var v) ? v : null);
        foreach (var derived in spec.Derived)
            json[derived.Name] = ToJson(derived.Type, row.TryGetValue(derived.Name, out var v) ? v : null);
        return json;
    }

    public static JToken ToJson(FieldType type, object? value)
    {
        if (value is null or DBNull) return JValue.CreateNull();
        return type switch
        {
            FieldType.Boolean => new JValue(Convert.ToInt64(value) != 0),
            FieldType.Integer => new JValue(Convert.ToInt64(value)),
            FieldType.Number => new JValue(Convert.ToDouble(value)),
            FieldType.Json => value as JToken ?? StoredJson((string)value), // a token already built is taken as it is
            _ => new JValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)),
        };
    }

    /// <summary>
    /// A stored JSON column. The OCPP message log keeps what a charger sent verbatim, which may not be JSON at all (or be
    /// nested beyond the reader's depth limit): that text is rendered as a string, so one bad row never breaks a list.
    /// </summary>
    private static JToken StoredJson(string text)
    {
        try { return JToken.Parse(text); }
        catch (JsonException) { return new JValue(text); }
    }

    /// <summary>Typed access to a stored row value, for services that reason about rows.</summary>
    public static double? Double(this IDictionary<string, object?> row, string name) =>
        row.TryGetValue(name, out var v) && v is not null and not DBNull ? Convert.ToDouble(v) : null;

    public static long? Long(this IDictionary<string, object?> row, string name) =>
        row.TryGetValue(name, out var v) && v is not null and not DBNull ? Convert.ToInt64(v) : null;

    public static string? Str(this IDictionary<string, object?>? row, string name) =>
        row is not null && row.TryGetValue(name, out var v) && v is not null and not DBNull ? Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) : null;

    public static bool Bool(this IDictionary<string, object?> row, string name) =>
        row.TryGetValue(name, out var v) && v is not null and not DBNull && Convert.ToInt64(v) != 0;
}
