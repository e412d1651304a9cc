namespace Cms.Optimizer.Bench;

/// <summary>
/// The workplace day with nobody announcing energy or departure: the policy sees the site's defaults instead,
/// learned (as Core does from closed sessions) from another day of the same site (seed 41): the conditional medians
/// of <see cref="SessionHistory"/>. Cars still leave and fill up as they really do.
/// </summary>
public static class Defaults
{
    public static Scenario Unknown(Scenario workplace)
    {
        var pastDay = Generators.Workplace(workplace.Sessions.Count, seed: 41, rho: 0.10);
        var history = new SessionHistory(pastDay.Sessions.Select(s => s.NeedKwh),
                                         pastDay.Sessions.Select(s => (s.Departure - s.Arrival) * pastDay.PeriodHours));
        return workplace with { Name = workplace.Name + "-unknown", History = history };
    }

    /// <summary>
    /// ACN's "peak hint": the lowest peak that served another day of the site (seed 41), learned from history, is
    /// treated as already paid for, so the online plan uses it from the morning on instead of discovering it late.
    /// </summary>
    public static Scenario PeakHint(Scenario flat, int sessions)
    {
        var pastDay = Generators.Workplace(sessions, seed: 41, rho: 0.30) with { Price = null };
        double hint = Offline.PeakStar(pastDay, Offline.Optimum(pastDay, false).EnergyKwh);
        return flat with { Name = flat.Name + "-hint", PeakHintKw = hint };
    }
}
