using Cms.Core.Resources;

namespace Cms.Core.Domain.Alerts;

/// <summary>/v2/alerts: raised by AmpCMS from charger traffic; clients change only status and notes.</summary>
public static class AlertResource
{
    public static readonly ResourceSpec Spec = new()
    {
        Name = "alert",
        Table = "alerts",
        Fields =
        [
            F.Enum("name", AlertCatalog.Names) with { ReadOnly = true },
            F.Id("networkId") with { ReadOnly = true },
            F.Id("charger") with { ReadOnly = true },
            F.Id("connector") with { ReadOnly = true },
            F.Id("chargingSessionId") with { ReadOnly = true },
            F.Json("category") with { ReadOnly = true },
            F.Enum("urgency", AlertCatalog.Urgencies) with { ReadOnly = true },
            F.Enum("status", AlertCatalog.SettableStatuses) with { Nullable = false },
            F.Time("start") with { ReadOnly = true },
            F.Time("end") with { ReadOnly = true },
            F.Str("description") with { ReadOnly = true },
            F.Str("action") with { ReadOnly = true },
            F.Str("notes", 10_000),
            F.Json("details") with { ReadOnly = true },
        ],
        Filters =
        [
            Filters.Equal("network", "t.networkId"),
            Filters.Equal("charger", "t.charger"),
            Filters.Equal("connector", "t.connector"),
            Enum("name", "t.name", AlertCatalog.Names),
            // category is a JSON array of strings: matching the quoted name works on any SQL dialect.
            new("category", (values, p) => string.Join(" OR ", values.Select(v =>
                $"t.category LIKE {p.Add("%\"" + Filters.ParseEnum("category", v, AlertCatalog.Categories) + "\"%")}"))),
            Enum("urgency", "t.urgency", AlertCatalog.Urgencies),
            Enum("status", "t.status", AlertCatalog.Statuses),
            // An alert belongs to a window when it was open during part of it.
            new("start", (values, p) => $"(t.\"end\" IS NULL OR t.\"end\" >= {p.Add(Iso.Format(Filters.ParseTime("start", values[^1])))})"),
            new("end", (values, p) => $"t.start <= {p.Add(Iso.Format(Filters.ParseTime("end", values[^1])))}"),
        ],
        DefaultSort = "start:desc",
        SortAliases = new Dictionary<string, string> { ["urgency"] = "urgencyRank" },
    };

    /// <summary>Sort keys the spec allows: ^(start|end|urgency|name):(desc|asc)$.</summary>
    public static readonly string[] SortKeys = ["start", "end", "urgency", "name"];

    private static FilterSpec Enum(string param, string column, string[] allowed) =>
        new(param, (values, p) => $"{column} IN ({string.Join(", ", values.Select(v => p.Add(Filters.ParseEnum(param, v, allowed))))})");
}
