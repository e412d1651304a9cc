using Cms.Core.Domain.Planning;
using Cms.Core.Resources;

namespace Cms.Core.Domain.Solar;

/// <summary>/v2/solar_meterings: measured solar power (kW) at a timestamp; counted only when the network's solarActive.</summary>
public static class SolarMeteringResource
{
    public static readonly ResourceSpec Spec = MeteredLoadResource.Spec("solar metering", "solar_meterings");
}
