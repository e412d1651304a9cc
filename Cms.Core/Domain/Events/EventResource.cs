using Cms.Core.Resources;

namespace Cms.Core.Domain.Events;

/// <summary>/v2/events: what the optimizer and the deliveries did on a network. Only the status can be changed.</summary>
public static class EventResource
{
    public static readonly string[] Statuses = ["Triggered", "Acknowledged", "Resolved"];

    public static readonly ResourceSpec Spec = new()
    {
        Name = "event",
        Table = "events",
        Fields =
        [
            F.Time("eventTime") with { ReadOnly = true },
            F.Id("networkId") with { ReadOnly = true },
            F.Id("charger") with { ReadOnly = true },
            F.Id("connector") with { ReadOnly = true },
            F.Id("chargingSessionId") with { ReadOnly = true },
            F.Id("alert") with { ReadOnly = true },
            F.Enum("sessionSource", "regular", "alert") with { ReadOnly = true },
            F.Enum("category", "Optimization", "Delivery") with { ReadOnly = true },
            F.Enum("urgency", "Info", "Warning", "Error", "Critical") with { ReadOnly = true },
            F.Enum("status", Statuses) with { Required = true, Nullable = false },
            F.Str("description") with { ReadOnly = true },
            F.Json("details") with { ReadOnly = true },
        ],
        Derived = [new("datetime", FieldType.DateTime, "t.eventTime")],
        Filters =
        [
            Filters.Equal("network", "t.networkId"),
            Filters.Equal("sessionSource", "t.sessionSource", FieldType.String),
            Filters.Equal("charger", "t.charger"),
            Filters.Equal("connector", "t.connector"),
            Filters.Equal("alert", "t.alert"),
            Filters.Equal("category", "t.category", FieldType.String),
            Filters.AtOrAfter("start", "t.eventTime"),
            Filters.Before("end", "t.eventTime"),
        ],
        DefaultSort = "eventTime:desc",
        // The spec's sort keys: datetime, urgency, source, category.
        SortAliases = new Dictionary<string, string> { ["source"] = "sessionSource" },
    };
}
