namespace Cms.Core.Resources;

/// <summary>
/// One field of a REST resource: how it is validated on the way in and rendered on the way out.
/// The field name is also the SQL column name (quoted), so the API and the table never drift apart.
/// </summary>
public sealed record FieldSpec(string Name, FieldType Type)
{
    public bool Required { get; init; }
    public bool Nullable { get; init; } = true;
    public object? Default { get; init; }
    public double? Min { get; init; }
    public double? Max { get; init; }
    /// <summary>True when Max itself is not allowed (the spec's "[0 .. 1000)").</summary>
    public bool MaxExclusive { get; init; }
    public int? MaxLength { get; init; }
    public IReadOnlyList<string>? Allowed { get; init; }
    public string? Pattern { get; init; }
    /// <summary>Accepted on create, refused on update.</summary>
    public bool Immutable { get; init; }
    /// <summary>Set by the server only; a client sending it gets a validation error.</summary>
    public bool ReadOnly { get; init; }
    /// <summary>Accepted but never rendered (secrets).</summary>
    public bool WriteOnly { get; init; }
    /// <summary>A string field that also accepts a JSON number (the spec's own samples send zipCode as 90001).</summary>
    public bool AcceptNumberAsString { get; init; }
    /// <summary>A number field that also accepts a numeric string with thousands separators (the spec's network sample sends "2,000").</summary>
    public bool AcceptNumericString { get; init; }
}

/// <summary>Short constructors so a resource definition reads like the spec's field list.</summary>
public static class F
{
    public static FieldSpec Str(string name, int maxLength = 255) => new(name, FieldType.String) { MaxLength = maxLength };
    public static FieldSpec Int(string name, double? min = null, double? max = null) => new(name, FieldType.Integer) { Min = min, Max = max };
    public static FieldSpec Num(string name, double? min = null, double? max = null) => new(name, FieldType.Number) { Min = min, Max = max };
    public static FieldSpec Bool(string name, bool? @default = null) => new(name, FieldType.Boolean) { Default = @default };
    public static FieldSpec Time(string name) => new(name, FieldType.DateTime);
    public static FieldSpec Id(string name) => new(name, FieldType.Uuid);
    public static FieldSpec Json(string name) => new(name, FieldType.Json);
    public static FieldSpec Enum(string name, params string[] allowed) => new(name, FieldType.String) { Allowed = allowed };
}
