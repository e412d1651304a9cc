using Cms.Core.Resources;

namespace Cms.Core.Domain.Prices;

public sealed class PriceService(CoreContext core) : NetworkInputService(core, PriceResource.Spec)
{
    public override string? BatchField => "energyPrices";
}
