using Cms.Core.Resources;

namespace Cms.Core.Domain.Vehicles;

/// <summary>/v2/vehicles/{id}/telematics: one timestamped sample of a vehicle's state (SoC, position, energy, …).</summary>
public static class TelematicsResource
{
    public static readonly ResourceSpec Spec = new()
    {
        Name = "vehicle telematics",
        Table = "vehicle_telematics",
        Fields =
        [
            // From the URL, never from the body.
            F.Id("vehicleId") with { ReadOnly = true },
            F.Time("timestamp") with { Required = true, Nullable = false },
            F.Num("stateOfCharge", 0, 100),
            F.Num("latitude", -90, 90),
            F.Num("longitude", -180, 180),
            F.Bool("plugConnected"),
            F.Bool("dataConnected"),
            F.Num("batteryCapacity", min: 0) with { Nullable = false },
            F.Num("batteryPower") with { Nullable = false },
            F.Num("rangeRemaining", min: 0) with { Nullable = false },
            F.Enum("chargingState", "Charging", "ChargingAC", "ChargingDC", "NotCharging"),
            F.Num("chargingEnergy") with { Nullable = false },
            F.Num("drivingEnergy") with { Nullable = false },
            F.Num("regenEnergy") with { Nullable = false },
            F.Num("otherEnergy") with { Nullable = false },
            F.Num("cabinTemperature") with { Nullable = false },
            F.Num("batteryTemperature") with { Nullable = false },
            F.Num("chargingPower") with { Nullable = false },
            F.Num("odometer", min: 0) with { Nullable = false },
            F.Bool("ignition"),
            F.Enum("source", "thirdPartyTelematics", "chargePoint"),
        ],
        Filters =
        [
            Filters.AtOrAfter("start", "t.\"timestamp\""),
            Filters.Before("end", "t.\"timestamp\""),
        ],
        DefaultSort = "timestamp:desc",
    };
}
