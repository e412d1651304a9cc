namespace Cms.Core.Domain.Delivery;

/// <summary>
/// Many chargers accept at most 24 schedule periods (ChargingScheduleMaxPeriods). Equal neighbours are merged
/// first; if still too long the schedule is cut, and the next reoptimization (every period) sends the rest.
/// </summary>
public static class ScheduleCompression
{
    public const int DefaultMaxPeriods = 24;

    public static IReadOnlyList<SchedulePeriod> Compress(IReadOnlyList<SchedulePeriod> periods, int maxPeriods)
    {
        var merged = new List<SchedulePeriod>();
        foreach (var period in periods)
            if (merged.Count == 0 || merged[^1].Limit != period.Limit || merged[^1].NumberPhases != period.NumberPhases)
                merged.Add(period);
        return merged.Count <= maxPeriods ? merged : merged.Take(maxPeriods).ToList();
    }
}
