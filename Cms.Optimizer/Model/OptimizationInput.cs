namespace Cms.Optimizer;

public sealed record OptimizationInput(
    NetworkLimits Network,
    IReadOnlyList<ChargePointLimit> ChargePoints,
    IReadOnlyList<SessionInput> Sessions,
    Objective Objective);
