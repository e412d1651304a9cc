namespace Cms.Optimizer.Bench;

/// <summary>
/// The workplace day with nobody announcing energy or departure: the policy sees the site's defaults instead,
/// learned (as Core does from closed sessions) from another day of the same site (seed 41): the conditional medians
/// of <see cref="SessionHistory"/>. Cars still leave and fill up as they really do; a car that fills up is seen
/// only through its charger (<see cref="MeteredLoop"/>), as Core sees it.
/// </summary>
public static class Defaults
{
    public static Scenario Unknown(Scenario workplace)
    {
        var pastDay = Generators.Workplace(workplace.Sessions.Count, seed: 41, rho: 0.10);
        var history = new SessionHistory(pastDay.Sessions.Select(s => s.NeedKwh),
                                         pastDay.Sessions.Select(s => (s.Departure - s.Arrival) * pastDay.PeriodHours));
        return workplace with { Name = workplace.Name + "-unknown", History = history, Metered = true };
    }

    /// <summary>
    /// ACN's "peak hint", by the same code Core uses (<see cref="Simulation.PeakHint"/>): the median over the three
    /// previous days of the site (seeds 39–41) of the lowest import peak that served each day, treated as already paid
    /// for, so the online plan uses it from the morning on instead of discovering it late.
    /// </summary>
    public static Scenario PeakHint(Scenario flat, int sessions)
    {
        var days = new ulong[] { 39, 40, 41 }.Select(seed => Generators.Workplace(sessions, seed, rho: 0.30));
        double hint = Simulation.PeakHint.FromPastDays(days.Select(d => Simulation.PeakHint.LowestPeakKw(AsReplay(d), ImportOffset(d))));
        return flat with { Name = flat.Name + "-hint", PeakHintKw = hint };
    }

    /// <summary>A past day as Core reads it from the store: recorded sessions, the site's limit, baseload − solar.</summary>
    private static Simulation.ReplayInput AsReplay(Scenario day) => new(day.Periods, day.PeriodHours, day.GridLimitKw, day.BufferFraction,
        null, day.MinimumLoadKw, day.PowerStepKw, day.ChargePoints,
        day.Sessions.Select(s => new Simulation.ReplaySession(s.Id, s.ChargePointId, s.MaxKw, s.Arrival, s.Departure, s.NeedKwh)).ToList(),
        Objective.Fleet);

    private static double[] ImportOffset(Scenario day) =>
        Enumerable.Range(0, day.Periods).Select(t => (day.BaseloadKw?[t] ?? 0) - (day.SolarKw?[t] ?? 0)).ToArray();
}
