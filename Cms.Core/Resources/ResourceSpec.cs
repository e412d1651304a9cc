namespace Cms.Core.Resources;

/// <summary>A value computed by SQL at read time (e.g. "active" = the connector has an open session). "t" is the resource's row.</summary>
public sealed record DerivedField(string Name, FieldType Type, string Sql)
{
    /// <summary>
    /// When set, a client may send this field (the spec's own samples do) and it is validated as this spec, then dropped:
    /// the server computes the value it shows. Null: sending it is refused as computed.
    /// </summary>
    public FieldSpec? AcceptedInput { get; init; }
}

/// <summary>
/// Everything generic code needs to validate, store, list and render one REST resource.
/// Every table has id, customerId, created, updated besides the declared fields.
/// </summary>
public sealed class ResourceSpec
{
    public required string Name { get; init; }
    public required string Table { get; init; }
    /// <summary>Where reads go when it is not <see cref="Table"/>: a view over the table and its traffic journal
    /// (<see cref="Storage.TrafficJournal"/>).</summary>
    public string? ReadFrom { get; init; }
    public string ReadTable => ReadFrom ?? Table;
    public required IReadOnlyList<FieldSpec> Fields { get; init; }
    public IReadOnlyList<DerivedField> Derived { get; init; } = [];
    public IReadOnlyList<FilterSpec> Filters { get; init; } = [];
    /// <summary>Columns matched by the ?search= parameter (case-insensitive substring).</summary>
    public IReadOnlyList<string> SearchColumns { get; init; } = [];
    /// <summary>The newest first unless the client asks otherwise.</summary>
    public string DefaultSort { get; init; } = "created:desc";
    /// <summary>Sort keys the spec names differently from the column they sort by (sessions: isActive → active).</summary>
    public IReadOnlyDictionary<string, string> SortAliases { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The spec's deprecated "sort_by=field" and "order=ascending|descending" (charge points): the sort_by values allowed,
    /// or null when the resource has only "sort".
    /// </summary>
    public IReadOnlyList<string>? DeprecatedSortBy { get; init; }

    public FieldSpec Field(string name) => Fields.First(f => f.Name == name);

    public IEnumerable<string> SortableNames =>
        new[] { "id", "created", "updated" }
            .Concat(Fields.Where(f => !f.WriteOnly && f.Type != FieldType.Json).Select(f => f.Name))
            .Concat(Derived.Where(d => d.Type != FieldType.Json).Select(d => d.Name))
            .Concat(SortAliases.Keys);
}
