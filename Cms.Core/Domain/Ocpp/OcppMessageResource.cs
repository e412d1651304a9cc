using Cms.Core.Resources;

namespace Cms.Core.Domain.Ocpp;

/// <summary>/v2/ocpp_messages: the log of every OCPP frame in both directions.</summary>
public static class OcppMessageResource
{
    public static readonly string[] Sources = ["Charger", "AmpCMS", "AmpCMS_created", "AmpCMS_queued", "External", "UI", "API"];

    public static readonly ResourceSpec Spec = new()
    {
        Name = "ocpp message",
        Table = "ocpp_messages",
        ReadFrom = OcppMessageLog.ReadView,
        Fields =
        [
            F.Id("chargePointId"),
            F.Str("ocppId"),
            F.Time("timestamp"),
            F.Enum("source", Sources),
            F.Enum("messageType", "Call", "CallResult", "CallError"),
            F.Str("operationType"),
            F.Str("messageId"),
            F.Enum("protocol", "ocpp1.6", "ocpp2.0.1"),
            F.Json("body"),
            F.Str("url"),
        ],
        Derived =
        [
            new("chargepoint", FieldType.String,
                "SELECT COALESCE(cp.customName, cp.name, t.ocppId) FROM charge_points cp WHERE cp.id = t.chargePointId"),
        ],
        Filters =
        [
            Filters.Equal("chargepoint", "t.chargePointId"),
            Filters.Equal("source", "t.source", FieldType.String),
            Filters.Equal("messageType", "t.messageType", FieldType.String),
            Filters.Equal("operationType", "t.operationType", FieldType.String),
            Filters.Equal("protocol", "t.protocol", FieldType.String),
            // Whole batches out of range are skipped on their first and last time first (migration 072).
            TimeFilter("start", ">=", "t.batchLast"),
            TimeFilter("end", "<=", "t.batchFirst"),
        ],
        SearchColumns = ["t.chargepoint", "t.operationType"],
        DefaultSort = "timestamp:desc",
    };

    /// <summary>The frame's time and its batch's bound against the parameter, as the API's start (at or after) and end (at or before).</summary>
    private static FilterSpec TimeFilter(string param, string op, string batchBound) => new(param, (values, p) =>
    {
        var time = p.Add(Iso.Format(Filters.ParseTime(param, values[^1])));
        return $"{batchBound} {op} {time} AND t.timestamp {op} {time}";
    }) { Type = FieldType.DateTime };
}
