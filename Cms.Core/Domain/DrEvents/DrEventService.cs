using Cms.Core.Resources;

namespace Cms.Core.Domain.DrEvents;

public sealed class DrEventService(CoreContext core) : NetworkInputService(core, DrEventResource.Spec)
{
    public override string? BatchField => "drEvents";
}
