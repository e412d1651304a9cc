using Cms.Core.Resources;

namespace Cms.Core.Domain.Optimizations;

/// <summary>/v2/optimizations: the schedule the optimizer computed for one session (written only by the optimizer).</summary>
public static class OptimizationResource
{
    public static readonly ResourceSpec Spec = new()
    {
        Name = "optimization",
        Table = "optimizations",
        Fields =
        [
            F.Str("method"),
            F.Json("csChargingProfiles"),
            F.Json("profile"),
            F.Int("connectorId"),
            F.Id("connector"),
            F.Id("chargepointId"),
            F.Id("networkId"),
        ],
        Filters =
        [
            Filters.Equal("connector", "t.connector"),
            Filters.Equal("chargepoint", "t.chargepointId"),
            Filters.Equal("network", "t.networkId"),
            Filters.Equal("charging_session", "t.chargingSessionId"),
            new FilterSpec("vehicle", (values, p) =>
                "t.chargingSessionId IN (SELECT s.id FROM charging_sessions s WHERE s.vehicleId IN (" +
                string.Join(", ", values.Select(v => p.Add(Filters.ConvertQueryValue("vehicle", v, FieldType.Uuid)))) + "))") { Type = FieldType.Uuid },
            // An optimization covers [validFrom, validTo]; start/end select those overlapping the window, active or not.
            Filters.AtOrAfter("start", "t.validTo"),
            Filters.Before("end", "t.validFrom"),
            Filters.Bool("active", "t.active = 1"),
        ],
    };

    public static readonly string[] ScopeParams = ["connector", "chargepoint", "network", "charging_session", "vehicle"];
}
