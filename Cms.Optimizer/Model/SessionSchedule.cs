namespace Cms.Optimizer;

/// <summary>
/// One limit per period (kW; negative = discharge, V2G only). BindingConstraint names what stopped the session
/// from getting more: "network", "charge_point", "session", "energy_need", "minimum_load", "departure".
/// </summary>
public sealed record SessionSchedule(
    string SessionId,
    double[] LimitsKw,
    double PlannedEnergyKwh,
    double UnmetEnergyKwh,
    string BindingConstraint);
