using System.Globalization;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Resources;

/// <summary>
/// Turns a JSON request body into typed field values, or fails naming every bad field.
/// Values come out as string, long, double, bool, DateTimeOffset, JToken or null.
/// </summary>
public static class BodyValidator
{
    public static Dictionary<string, object?> Validate(JToken? body, ResourceSpec spec, bool isCreate) =>
        Validate(body, spec.Fields, isCreate, spec.Derived.Where(d => d.AcceptedInput is null).Select(d => d.Name),
            spec.Derived.Where(d => d.AcceptedInput is not null).Select(d => d.AcceptedInput!));

    /// <param name="acceptedComputed">Computed fields a client may send: validated, then dropped (see <see cref="DerivedField.AcceptedInput"/>).</param>
    public static Dictionary<string, object?> Validate(JToken? body, IReadOnlyList<FieldSpec> fields, bool isCreate,
        IEnumerable<string>? computedNames = null, IEnumerable<FieldSpec>? acceptedComputed = null)
    {
        var computed = computedNames?.ToHashSet() ?? [];
        var dropped = acceptedComputed?.ToDictionary(f => f.Name) ?? [];
        if (body is not JObject obj)
            throw ApiFailure.Invalid("body", "must be a JSON object");

        var errors = new Dictionary<string, string>();
        var values = new Dictionary<string, object?>();
        var byName = fields.ToDictionary(f => f.Name);

        foreach (var prop in obj.Properties())
        {
            if (dropped.TryGetValue(prop.Name, out var accepted))
            {
                if (TryConvert(accepted, prop.Value, out _) is { } invalid) errors[prop.Name] = invalid;
                continue;
            }
            if (computed.Contains(prop.Name) || prop.Name is "id" or "created" or "updated")
            {
                errors[prop.Name] = "is computed by the server and cannot be set";
                continue;
            }
            if (!byName.TryGetValue(prop.Name, out var field))
            {
                errors[prop.Name] = "unknown field";
                continue;
            }
            if (field.ReadOnly)
            {
                errors[prop.Name] = "is read-only";
                continue;
            }
            if (!isCreate && field.Immutable)
            {
                errors[prop.Name] = "cannot be changed after creation";
                continue;
            }
            var error = TryConvert(field, prop.Value, out var value);
            if (error is null) values[field.Name] = value;
            else errors[field.Name] = error;
        }

        if (isCreate)
        {
            foreach (var field in fields)
            {
                if (values.ContainsKey(field.Name) || errors.ContainsKey(field.Name)) continue;
                if (field.Required) errors[field.Name] = "is required";
                else if (!field.ReadOnly && field.Default is not null) values[field.Name] = field.Default;
            }
        }

        if (errors.Count > 0) throw new ApiFailure(400, errors);
        return values;
    }

    public static string? TryConvert(FieldSpec field, JToken token, out object? value)
    {
        value = null;
        if (token.Type == JTokenType.Null)
            return field.Nullable && !field.Required ? null : "must not be null";

        switch (field.Type)
        {
            case FieldType.String:
                if (token.Type == JTokenType.Integer && field.AcceptNumberAsString)
                    token = token.ToString();
                if (token.Type != JTokenType.String) return "must be a string";
                var s = (string)token!;
                if (field.MaxLength is { } max && s.Length > max) return $"must be at most {max} characters";
                if (field.Required && s.Length == 0) return "must not be empty";
                if (field.Allowed is { } allowed && !allowed.Contains(s))
                    return "must be one of " + string.Join(", ", allowed.Select(a => $"'{a}'"));
                if (field.Pattern is { } pattern && !Regex.IsMatch(s, pattern)) return $"must match {pattern}";
                value = s;
                return null;
            case FieldType.Integer:
                if (token.Type == JTokenType.Float && (double)token! % 1 == 0) token = (long)(double)token!;
                if (token.Type != JTokenType.Integer) return "must be an integer";
                long l;
                try { l = (long)token!; } catch (OverflowException) { return "is out of range"; }
                value = l;
                return CheckRange(field, l);
            case FieldType.Number:
                if (token.Type == JTokenType.String && field.AcceptNumericString)
                {
                    if (!double.TryParse((string)token!, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var parsed))
                        return "must be a number (or a numeric string such as \"2,000\")";
                    token = parsed;
                }
                if (token.Type is not (JTokenType.Integer or JTokenType.Float)) return "must be a number";
                var d = (double)token!;
                if (double.IsNaN(d) || double.IsInfinity(d)) return "must be a finite number";
                value = d;
                return CheckRange(field, d);
            case FieldType.Boolean:
                if (token.Type != JTokenType.Boolean) return "must be true or false";
                value = (bool)token!;
                return null;
            case FieldType.DateTime:
                if (token.Type == JTokenType.Date) { value = ((DateTimeOffset)token!).ToUniversalTime(); return null; }
                if (token.Type != JTokenType.String || !TryParseTime((string)token!, out var t))
                    return "must be an ISO 8601 date-time";
                value = t;
                return null;
            case FieldType.Uuid:
                if (token.Type != JTokenType.String || !Guid.TryParse((string)token!, out var g))
                    return "must be a UUID";
                value = g.ToString();
                return null;
            case FieldType.Json:
                if (token.Type is not (JTokenType.Object or JTokenType.Array)) return "must be a JSON object or array";
                value = token.DeepClone();
                return null;
            default:
                return "unsupported field type";
        }
    }

    /// <summary>ISO 8601 with or without offset; no offset means UTC.</summary>
    public static bool TryParseTime(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value)
        && text.Length >= 10;

    private static string? CheckRange(FieldSpec field, double v)
    {
        if (field.Min is { } min && v < min) return $"must be >= {Fmt(min)}";
        if (field.Max is { } max && (field.MaxExclusive ? v >= max : v > max))
            return field.MaxExclusive ? $"must be < {Fmt(max)}" : $"must be <= {Fmt(max)}";
        return null;
    }

    private static string Fmt(double v) => v.ToString(CultureInfo.InvariantCulture);
}
