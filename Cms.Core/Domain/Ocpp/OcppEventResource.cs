using Cms.Core.Resources;

namespace Cms.Core.Domain.Ocpp;

/// <summary>/v2/ocpp_events: connection, disconnection and authentication events (default window: the last 24 h).</summary>
public static class OcppEventResource
{
    public static readonly ResourceSpec Spec = new()
    {
        Name = "ocpp event",
        Table = "ocpp_events",
        Fields =
        [
            F.Time("eventTime"),
            F.Id("chargePointId"),
            F.Str("chargepointSerial"),
            F.Id("networkId"),
            F.Enum("source", "regular", "alert"),
            F.Enum("status", "Triggered", "Acknowledged", "Resolved"),
            F.Enum("urgency", "Info", "Warning", "Error", "Critical"),
            F.Enum("type", OcppEventLog.Authentication, OcppEventLog.Connection, OcppEventLog.Disconnection),
            F.Str("description"),
        ],
        Filters =
        [
            Filters.Equal("chargepoint_serial", "t.chargepointSerial", FieldType.String),
            Filters.Equal("chargepoint", "t.chargePointId"),
            Filters.Equal("network", "t.networkId"),
            Filters.Equal("source", "t.source", FieldType.String),
            Filters.Equal("status", "t.status", FieldType.String),
            Filters.Equal("urgency", "t.urgency", FieldType.String),
            Filters.Equal("type", "t.type", FieldType.String),
            Filters.AtOrAfter("start", "t.eventTime"),
            Filters.Before("end", "t.eventTime"),
        ],
        DefaultSort = "eventTime:desc",
    };
}
