namespace Cms.Optimizer;

/// <summary>
/// Defaults for a session whose energy need or departure nobody told us, learned from closed sessions of the same
/// idTag, vehicle or network: the median of what such sessions took (kWh) and how long they stayed (h), conditioned
/// on what this session has already taken or stayed. A car that has charged 8 kWh is expected to want the median
/// of (e − 8) over the past sessions with e > 8, not the plain median (which it may already have passed). Null when
/// no past session went that far (the car is beyond everything seen): the planner then treats it as unknown.
/// Pure and immutable; build once per cache refresh.
/// </summary>
public sealed class SessionHistory
{
    private readonly double[] _energyKwh;
    private readonly double[] _dwellHours;

    public SessionHistory(IEnumerable<double> energyKwh, IEnumerable<double> dwellHours)
    {
        _energyKwh = energyKwh.Where(e => double.IsFinite(e) && e > 0).Order().ToArray();
        _dwellHours = dwellHours.Where(h => double.IsFinite(h) && h > 0).Order().ToArray();
    }

    public int EnergySamples => _energyKwh.Length;

    public int DwellSamples => _dwellHours.Length;

    public double? MedianEnergyKwh => RemainingEnergyKwh(0);

    public double? MedianDwellHours => RemainingHours(0);

    /// <summary>Median of (e − delivered) over past sessions that took more than <paramref name="deliveredKwh"/>.</summary>
    public double? RemainingEnergyKwh(double deliveredKwh) => ConditionalMedian(_energyKwh, deliveredKwh);

    /// <summary>Median of (h − elapsed) over past sessions that stayed longer than <paramref name="elapsedHours"/>.</summary>
    public double? RemainingHours(double elapsedHours) => ConditionalMedian(_dwellHours, elapsedHours);

    private static double? ConditionalMedian(double[] sorted, double already)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (sorted[mid] <= already) lo = mid + 1; else hi = mid;
        }
        int n = sorted.Length - lo;
        if (n == 0) return null;
        double median = n % 2 == 1 ? sorted[lo + n / 2] : (sorted[lo + n / 2 - 1] + sorted[lo + n / 2]) / 2;
        return median - already;
    }
}
