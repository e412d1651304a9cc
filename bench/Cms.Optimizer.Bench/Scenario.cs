namespace Cms.Optimizer.Bench;

/// <summary>A day of sessions with known arrivals (the closed loop only reveals them as they arrive).</summary>
public sealed record BenchSession(string Id, string ChargePointId, double MaxKw, int Arrival, int Departure,
                                  double NeedKwh, double MaxDischargeKw = 0, int Priority = 3);

public sealed record Scenario(
    string Name,
    int Periods,
    double PeriodHours,
    double[] GridLimitKw,
    double BufferFraction,
    double[]? BaseloadKw,
    double[]? SolarKw,
    double[]? Price,
    double[]? V2gExportKw,
    double MinimumLoadKw,
    double PowerStepKw,
    IReadOnlyList<ChargePointLimit> ChargePoints,
    IReadOnlyList<BenchSession> Sessions,
    SessionHistory? History = null,
    double PeakHintKw = 0,
    bool MinimizePeak = false,
    bool Metered = false)
{
    public double AvailableKw(int t) => Math.Max(0, GridLimitKw[t] * (1 - BufferFraction) - (BaseloadKw?[t] ?? 0) + (SolarKw?[t] ?? 0));
}
