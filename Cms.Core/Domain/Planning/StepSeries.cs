namespace Cms.Core.Domain.Planning;

/// <summary>One stored interval and its precedence: where intervals overlap, the greatest <see cref="Rank"/> (ordinal) wins.</summary>
public readonly record struct RankedInterval(DateTimeOffset Start, DateTimeOffset End, double Value, string Rank);

/// <summary>A stretch of time with one value; null means "no data here".</summary>
public readonly record struct Piece(DateTimeOffset Start, DateTimeOffset End, double? Value);

/// <summary>
/// A piecewise-constant time series with gaps, built from overlapping intervals (the newest wins) or from meter
/// samples (each holds until the next, for at most a hold time). Pure; the read model and the profile endpoints share it.
/// </summary>
public sealed class StepSeries
{
    private readonly List<Piece> _segments; // sorted, non-overlapping, every Value non-null

    private StepSeries(List<Piece> segments) => _segments = segments;

    public static readonly StepSeries Empty = new([]);

    public IReadOnlyList<Piece> Segments => _segments;

    /// <summary>At every instant the covering interval with the greatest rank gives the value.</summary>
    public static StepSeries FromIntervals(IEnumerable<RankedInterval> intervals)
    {
        var list = intervals.Where(i => i.End > i.Start).ToList();
        var bounds = list.SelectMany(i => new[] { i.Start, i.End }).Distinct().Order().ToList();
        var segments = new List<Piece>();
        for (var k = 0; k + 1 < bounds.Count; k++)
        {
            var (a, b) = (bounds[k], bounds[k + 1]);
            var covering = list.Where(i => i.Start <= a && i.End >= b).ToList();
            if (covering.Count == 0) continue;
            var winner = covering.MaxBy(i => i.Rank, StringComparer.Ordinal);
            Append(segments, new Piece(a, b, winner.Value));
        }
        return new StepSeries(segments);
    }

    /// <summary>Each sample holds from its timestamp until the next sample, but at most <paramref name="hold"/>; equal timestamps: greatest rank wins.</summary>
    public static StepSeries FromSamples(IEnumerable<(DateTimeOffset At, double Value, string Rank)> samples, TimeSpan hold)
    {
        var sorted = samples.GroupBy(s => s.At).Select(g => g.MaxBy(s => s.Rank, StringComparer.Ordinal))
            .OrderBy(s => s.At).ToList();
        var segments = new List<Piece>();
        for (var k = 0; k < sorted.Count; k++)
        {
            var end = sorted[k].At + hold;
            if (k + 1 < sorted.Count && sorted[k + 1].At < end) end = sorted[k + 1].At;
            Append(segments, new Piece(sorted[k].At, end, sorted[k].Value));
        }
        return new StepSeries(segments);
    }

    public double? ValueAt(DateTimeOffset t)
    {
        var k = FirstEndingAfter(t);
        return k < _segments.Count && _segments[k].Start <= t ? _segments[k].Value : null;
    }

    /// <summary>Pieces covering [a, b) exactly; gaps carry <paramref name="fill"/>.</summary>
    public List<Piece> Over(DateTimeOffset a, DateTimeOffset b, double? fill)
    {
        var pieces = new List<Piece>();
        var cursor = a;
        for (var k = FirstEndingAfter(a); k < _segments.Count && _segments[k].Start < b && cursor < b; k++)
        {
            var s = _segments[k];
            if (s.Start > cursor) pieces.Add(new Piece(cursor, s.Start, fill));
            var from = s.Start > cursor ? s.Start : cursor;
            var to = s.End < b ? s.End : b;
            pieces.Add(new Piece(from, to, s.Value));
            cursor = to;
        }
        if (cursor < b) pieces.Add(new Piece(cursor, b, fill));
        return pieces;
    }

    /// <summary>Time-weighted average over the parts of [a, b) that have a value; null when none has.</summary>
    public double? Average(DateTimeOffset a, DateTimeOffset b, double? fill) => TimeWeightedAverage(Over(a, b, fill));

    public static double? TimeWeightedAverage(IEnumerable<Piece> pieces)
    {
        double sum = 0, seconds = 0;
        foreach (var p in pieces)
        {
            if (p.Value is not { } v) continue;
            var dt = (p.End - p.Start).TotalSeconds;
            sum += v * dt;
            seconds += dt;
        }
        return seconds > 0 ? sum / seconds : null;
    }

    /// <summary>Evaluates f over two series at once: pieces of [a, b) split wherever either changes.</summary>
    public static List<Piece> Combine(StepSeries x, double xFill, StepSeries y, double yFill,
        DateTimeOffset a, DateTimeOffset b, Func<double, double, double> f)
    {
        var bounds = x.Over(a, b, xFill).Concat(y.Over(a, b, yFill)).Select(p => p.Start)
            .Append(a).Distinct().Order().ToList();
        var pieces = new List<Piece>();
        for (var k = 0; k < bounds.Count; k++)
        {
            var end = k + 1 < bounds.Count ? bounds[k + 1] : b;
            pieces.Add(new Piece(bounds[k], end, f(x.ValueAt(bounds[k]) ?? xFill, y.ValueAt(bounds[k]) ?? yFill)));
        }
        return pieces;
    }

    private int FirstEndingAfter(DateTimeOffset t)
    {
        int lo = 0, hi = _segments.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (_segments[mid].End <= t) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static void Append(List<Piece> segments, Piece piece)
    {
        if (segments.Count > 0 && segments[^1].End == piece.Start && segments[^1].Value == piece.Value)
            segments[^1] = segments[^1] with { End = piece.End };
        else
            segments.Add(piece);
    }
}
