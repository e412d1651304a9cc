namespace Cms.Core.Domain.Delivery;

/// <summary>
/// Schedules equal period by period. A delivery run gives the sessions with equal schedules one shared periods list,
/// so the transport checks and serializes what their SetChargingProfile payloads share once for all of them.
/// </summary>
public sealed class SameSchedule : IEqualityComparer<IReadOnlyList<SchedulePeriod>>
{
    public static readonly SameSchedule Instance = new();

    public bool Equals(IReadOnlyList<SchedulePeriod>? x, IReadOnlyList<SchedulePeriod>? y)
    {
        if (ReferenceEquals(x, y)) return true;
        if (x is null || y is null || x.Count != y.Count) return false;
        for (var i = 0; i < x.Count; i++)
            if (x[i] != y[i]) return false;
        return true;
    }

    public int GetHashCode(IReadOnlyList<SchedulePeriod> periods)
    {
        var hash = new HashCode();
        hash.Add(periods.Count);
        foreach (var p in periods) hash.Add(p);
        return hash.ToHashCode();
    }
}
