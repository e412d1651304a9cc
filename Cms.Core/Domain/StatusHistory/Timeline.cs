using Cms.Core.Domain.Planning;

namespace Cms.Core.Domain.StatusHistory;

/// <summary>Pure time arithmetic for connectivity and uptime: 0/1 step series and their time-weighted averages per bucket.</summary>
public static class Timeline
{
    /// <summary>A state holds until the next one: far enough to outlast any query window.</summary>
    private static readonly TimeSpan Forever = TimeSpan.FromDays(365 * 100);

    /// <summary>States in the order they were recorded become a 0/1 series; a later record at the same instant wins.</summary>
    public static StepSeries Series(IEnumerable<(DateTimeOffset At, double Value)> states) =>
        StepSeries.FromSamples(states.Select((s, k) => (s.At, s.Value, k.ToString("D10", System.Globalization.CultureInfo.InvariantCulture))), Forever);

    /// <summary>Pieces over [from, to): the value inside [from(entity), until), null outside it (before the entity existed, or in the future).</summary>
    public static List<Piece> Clip(List<Piece> pieces, DateTimeOffset from, DateTimeOffset until, DateTimeOffset windowStart, DateTimeOffset windowEnd)
    {
        var result = new List<Piece>();
        if (from > windowStart) result.Add(new Piece(windowStart, Min(from, windowEnd), null));
        foreach (var p in pieces)
        {
            var a = Max(p.Start, from);
            var b = Min(p.End, until);
            if (a < b) result.Add(new Piece(a, b, p.Value));
        }
        if (until < windowEnd) result.Add(new Piece(Max(until, windowStart), windowEnd, null));
        return result;
    }

    /// <summary>
    /// Time-weighted average per bucket of [start, end) over every entity's pieces together (an entity counts for the time
    /// it has a value); null where no entity has one.
    /// </summary>
    public static List<(DateTimeOffset At, double? Value)> Buckets(IEnumerable<IEnumerable<Piece>> entities, DateTimeOffset start,
        DateTimeOffset end, TimeSpan step)
    {
        var n = (int)Math.Ceiling((end - start) / step);
        var sum = new double[n];
        var weight = new double[n];
        foreach (var piece in entities.SelectMany(e => e))
        {
            if (piece.Value is not { } v || piece.End <= start || piece.Start >= end) continue;
            for (var k = Math.Max(0, (int)Math.Floor((piece.Start - start) / step)); k < n; k++)
            {
                var bucketStart = start + k * step;
                if (bucketStart >= piece.End) break;
                var bucketEnd = Min(bucketStart + step, end);
                var seconds = (Min(piece.End, bucketEnd) - Max(piece.Start, bucketStart)).TotalSeconds;
                if (seconds <= 0) continue;
                sum[k] += v * seconds;
                weight[k] += seconds;
            }
        }
        return Enumerable.Range(0, n).Select(k => (start + k * step, weight[k] > 0 ? sum[k] / weight[k] : (double?)null)).ToList();
    }

    public static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
    public static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
