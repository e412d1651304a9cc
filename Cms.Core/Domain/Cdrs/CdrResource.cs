using Cms.Core.Resources;

namespace Cms.Core.Domain.Cdrs;

/// <summary>/v2/cdrs: written by AmpCMS when a session closes, read-only for clients.</summary>
public static class CdrResource
{
    public static readonly ResourceSpec Spec = new()
    {
        Name = "cdr",
        Table = "cdrs",
        Fields =
        [
            F.Id("chargingSessionId") with { ReadOnly = true },
            F.Id("networkId") with { ReadOnly = true },
            F.Id("chargePointId") with { ReadOnly = true },
            F.Id("connectorId") with { ReadOnly = true },
            F.Int("transactionId") with { ReadOnly = true },
            F.Str("idTag") with { ReadOnly = true },
            F.Time("start") with { ReadOnly = true },
            F.Time("end") with { ReadOnly = true },
            F.Num("totalEnergy") with { ReadOnly = true },
            F.Num("totalCost") with { ReadOnly = true },
            F.Num("totalCostInclVat") with { ReadOnly = true },
            F.Str("currency") with { ReadOnly = true },
            F.Json("cdrData") with { ReadOnly = true },
        ],
        Filters =
        [
            Filters.Equal("network", "t.networkId"),
            Filters.Equal("chargepoint", "t.chargePointId"),
            Filters.Equal("connector", "t.connectorId"),
            Filters.Equal("cdr", "t.id", FieldType.String),
            // The spec: start keeps CDRs that started or ended after it, end those that started or ended before it.
            Filters.AtOrAfter("start", "t.\"end\""),
            Filters.Before("end", "t.\"start\""),
        ],
        DefaultSort = "end:desc",
    };

    /// <summary>The list's own flag: true answers the OCPI CDR objects themselves, ready to hand to a roaming partner.</summary>
    public const string ExportParam = "export";
}
