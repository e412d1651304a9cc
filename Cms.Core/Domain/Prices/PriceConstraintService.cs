using Cms.Core.Resources;

namespace Cms.Core.Domain.Prices;

/// <summary>POST is one flat object (networkId, energyPrice, maxCapacityRatio); no PATCH in the spec.</summary>
public sealed class PriceConstraintService(CoreContext core) : NetworkInputService(core, PriceConstraintResource.Spec)
{
    public override string? BatchField => null;
}
