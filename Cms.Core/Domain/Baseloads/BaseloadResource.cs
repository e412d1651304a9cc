using Cms.Core.Domain.Planning;
using Cms.Core.Resources;

namespace Cms.Core.Domain.Baseloads;

/// <summary>/v2/baseloads: measured building load (kW) at a timestamp; counted only when the network's baseloadActive.</summary>
public static class BaseloadResource
{
    public static readonly ResourceSpec Spec = MeteredLoadResource.Spec("baseload", "baseloads");
}
