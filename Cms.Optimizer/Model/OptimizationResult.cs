namespace Cms.Optimizer;

/// <summary>
/// Schedules are sorted by SessionId (ordinal). AvailableKw is the charging capacity per period.
/// UpperBoundEnergyKwh: for fleet/V2G the exact flow optimum before min-load/step rounding; for load sharing
/// a simple bound (min of capacity and what the sessions can take).
/// CannotMeetDeparture: sessions with a need and a departure within the horizon (DeparturePeriod &lt;= Periods) that will be short by more than 0.1 kWh.
/// </summary>
public sealed record OptimizationResult(
    IReadOnlyList<SessionSchedule> Schedules,
    double[] AvailableKw,
    double UpperBoundEnergyKwh,
    IReadOnlyList<string> CannotMeetDeparture);
