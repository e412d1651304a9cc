using Dapper;

namespace Cms.Core.Resources;

/// <summary>
/// A list filter: the query parameter it reads and the SQL condition it adds.
/// Repeated keys (chargepoint=a&amp;chargepoint=b) arrive as several values and mean "any of".
/// </summary>
public sealed record FilterSpec(string Param, Func<IReadOnlyList<string>, SqlParams, string> ToSql)
{
    /// <summary>What one value of the parameter is, for the API description (OpenAPI).</summary>
    public FieldType Type { get; init; } = FieldType.String;
    public IReadOnlyList<string>? Allowed { get; init; }
}

/// <summary>Numbered parameters for one query, so filters never collide.</summary>
public sealed class SqlParams
{
    private int _next;
    public DynamicParameters Values { get; } = new();

    public string Add(object? value)
    {
        var name = "@p" + _next++;
        Values.Add(name, value);
        return name;
    }
}

public static class Filters
{
    /// <summary>column = any of the values, each converted and validated as the field type.</summary>
    public static FilterSpec Equal(string param, string column, FieldType type = FieldType.Uuid) =>
        new(param, (values, p) =>
        {
            var converted = values.Select(v => ConvertQueryValue(param, v, type)).ToList();
            return $"{column} IN ({string.Join(", ", converted.Select(p.Add))})";
        }) { Type = type };

    public static FilterSpec After(string param, string column) =>
        new(param, (values, p) => $"{column} > {p.Add(Iso.Format(ParseTime(param, values[^1])))}") { Type = FieldType.DateTime };

    public static FilterSpec AtOrAfter(string param, string column) =>
        new(param, (values, p) => $"{column} >= {p.Add(Iso.Format(ParseTime(param, values[^1])))}") { Type = FieldType.DateTime };

    public static FilterSpec Before(string param, string column) =>
        new(param, (values, p) => $"{column} <= {p.Add(Iso.Format(ParseTime(param, values[^1])))}") { Type = FieldType.DateTime };

    public static FilterSpec Bool(string param, string sqlWhenTrue) =>
        new(param, (values, _) => ParseBool(param, values[^1]) ? sqlWhenTrue : $"NOT ({sqlWhenTrue})") { Type = FieldType.Boolean };

    public static string ParseEnum(string param, string value, params string[] allowed) =>
        allowed.Contains(value) ? value : throw ApiFailure.BadRequest(param, "must be one of " + string.Join(", ", allowed));

    public static DateTimeOffset ParseTime(string param, string value) =>
        BodyValidator.TryParseTime(value, out var t) ? t : throw ApiFailure.BadRequest(param, "must be an ISO 8601 date-time");

    public static bool ParseBool(string param, string value) => value.ToLowerInvariant() switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => throw ApiFailure.BadRequest(param, "must be true or false"),
    };

    public static object ConvertQueryValue(string param, string value, FieldType type)
    {
        switch (type)
        {
            case FieldType.Uuid:
                return Guid.TryParse(value, out var g) ? g.ToString() : throw ApiFailure.BadRequest(param, "must be a UUID");
            case FieldType.Integer:
                return long.TryParse(value, out var l) ? l : throw ApiFailure.BadRequest(param, "must be an integer");
            case FieldType.Number:
                return double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : throw ApiFailure.BadRequest(param, "must be a number");
            case FieldType.Boolean:
                return ParseBool(param, value) ? 1 : 0;
            case FieldType.DateTime:
                return Iso.Format(ParseTime(param, value));
            default:
                return value;
        }
    }
}
