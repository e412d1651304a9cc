using Cms.Core.Resources;

namespace Cms.Core.Domain.Reports;

/// <summary>/v2/reports: a CSV export of one list endpoint's rows, generated in the background.</summary>
public static class ReportResource
{
    public const string Pending = "pending";
    public const string Processing = "processing";
    public const string Completed = "completed";
    public const string Failed = "failed";

    /// <summary>The spec's cap on one report.</summary>
    public const int MaxRows = 100_000;

    public static readonly string[] Models = ["charging_sessions", "ocpp_messages", "alerts", "cdrs"];

    public static readonly ResourceSpec Spec = new()
    {
        Name = "report",
        Table = "reports",
        Fields =
        [
            F.Str("name") with { Required = true, Nullable = false },
            F.Enum("model", Models) with { Required = true, Nullable = false },
            F.Json("filters"),
            F.Id("userId") with { ReadOnly = true },
            // The creator's user type: the worker reads with the creator's rights. Never shown.
            F.Str("userType") with { ReadOnly = true, WriteOnly = true },
            F.Enum("status", Pending, Processing, Completed, Failed) with { ReadOnly = true },
            F.Int("rows") with { ReadOnly = true },
            F.Int("size") with { ReadOnly = true },
            F.Str("error") with { ReadOnly = true },
            F.Time("completed") with { ReadOnly = true },
        ],
        Filters =
        [
            new FilterSpec("model", (values, p) =>
                "t.model IN (" + string.Join(", ", values.Select(v => p.Add(Filters.ParseEnum("model", v, Models)))) + ")"),
            Filters.Equal("userId", "t.userId"),
        ],
        SearchColumns = ["t.name"],
    };
}
