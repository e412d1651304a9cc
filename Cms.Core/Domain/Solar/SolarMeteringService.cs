using Cms.Core.Resources;

namespace Cms.Core.Domain.Solar;

/// <summary>Meter values are appended in batches; the spec offers no PATCH or DELETE.</summary>
public sealed class SolarMeteringService(CoreContext core) : NetworkInputService(core, SolarMeteringResource.Spec)
{
    public override string? BatchField => "solarMeterValues";
}
