using Cms.Core.Resources;

namespace Cms.Core.Domain.MeterValues;

/// <summary>/v2/meter_values: one row per sampled value, as meter_values_all lists them (stored one row per meterValue
/// element since migration 071: <see cref="MeterReading"/>). Written only by POST (a batch) and OCPP MeterValues.</summary>
public static class MeterValueResource
{
    public static readonly ResourceSpec Spec = new()
    {
        Name = "meter value",
        Table = "meter_values",
        ReadFrom = Storage.TrafficJournal.MeterReadings.ReadView,
        Fields =
        [
            F.Id("chargePointId"),
            // The charger's connector number (0 = the charge point's main meter) and the connector's UUID.
            F.Int("connectorId"),
            F.Id("connector"),
            F.Id("networkId"),
            F.Id("chargingSessionId"),
            F.Int("transactionId"),
            F.Id("vehicleId"),
            F.Time("timestamp"),
            F.Str("measurand"),
            F.Str("phase"),
            F.Str("unit"),
            F.Str("context"),
            F.Str("format"),
            F.Str("location"),
            F.Num("value"),
        ],
        Filters =
        [
            Filters.Equal("connector", "t.connector"),
            Filters.Equal("vehicle", "t.vehicleId"),
            Filters.Equal("network", "t.networkId"),
            Filters.Equal("chargepoint", "t.chargePointId"),
            Filters.AtOrAfter("start", "t.timestamp"),
            Filters.Before("end", "t.timestamp"),
        ],
        DefaultSort = "timestamp:asc",
    };

    /// <summary>The spec: one of these scopes and both start and end are required.</summary>
    public static readonly string[] ScopeParams = ["network", "chargepoint", "vehicle", "connector"];
}
