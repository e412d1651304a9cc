using Cms.Core.Resources;

namespace Cms.Core.Domain.Baseloads;

/// <summary>Meter values are appended in batches; the spec offers no PATCH or DELETE.</summary>
public sealed class BaseloadService(CoreContext core) : NetworkInputService(core, BaseloadResource.Spec)
{
    public override string? BatchField => "baseloadMeterValues";
}
