namespace Cms.Core.Domain.Planning;

/// <summary>
/// The energy a closed session took, as the charging session resource reports it (<c>SessionResource.EnergySql</c>):
/// meterStop − (meterStart or the first register) when stopped with a reading, else what meter values measured. Site
/// history reads it in C# (no two-argument MAX in portable SQL).
/// </summary>
public static class ClosedSessionEnergy
{
    public const string Columns = "s.meterStart, s.meterStop, s.firstMeterRegister, s.energyConsumed";

    public static double? Kwh(double? meterStart, double? meterStop, double? firstRegister, double? energyConsumed) =>
        meterStop is { } stop && (meterStart ?? firstRegister) is { } from ? Math.Max(stop - from, 0) : energyConsumed;
}
