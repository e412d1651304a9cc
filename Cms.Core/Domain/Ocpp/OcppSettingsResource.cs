using Cms.Core.Resources;

namespace Cms.Core.Domain.Ocpp;

/// <summary>/v2/configurations/ocpp_settings (customer) and …/charge_points/{id}: who may connect over OCPP, and how.</summary>
public static class OcppSettingsResource
{
    public static readonly string[] Features = ["off", "cms", "proxy"];

    public static readonly IReadOnlyList<FieldSpec> CustomerFields =
    [
        F.Str("secret", 256) with { Required = true, Nullable = false },
        F.Enum("feature", Features) with { Nullable = false },
        F.Str("targetCmsUrl", 2048),
        F.Id("defaultNetworkId"),
    ];

    public static readonly IReadOnlyList<FieldSpec> ChargePointFields =
    [
        F.Str("secret", 256),
        F.Enum("feature", Features),
    ];
}
