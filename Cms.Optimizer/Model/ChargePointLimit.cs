namespace Cms.Optimizer;

/// <summary>A charge point's combined cap over all its sessions (network ⊇ charge point ⊇ session).</summary>
public sealed record ChargePointLimit(string Id, double MaxKw);
