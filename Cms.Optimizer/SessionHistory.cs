namespace Cms.Optimizer;

/// <summary>
/// Defaults for a session whose energy need or departure nobody told us, learned from closed sessions of the same
/// idTag, vehicle or network, conditioned on what this session has already taken or stayed. A car that has charged
/// 8 kWh is expected to want a quantile of (e − 8) over the past sessions with e > 8, not of all of them (it may
/// already have passed the plain median). Null when no past session went that far (the car is beyond everything
/// seen): the planner then treats it as unknown. Pure and immutable; build once per cache refresh.
/// </summary>
/// <remarks>
/// Energy uses the <see cref="EnergyQuantile"/> (40th percentile), dwell the median. A car that is full says so (its
/// charger reports SuspendedEV and Core plans it at 0 at once), so a guess too high only costs until that moment,
/// while a guess too low is corrected as the car charges past it. Measured in the bench's closed loop (workplace,
/// seeds 42–44, 50 and 500 sessions): the 40th percentile beats the median by 0.1–0.8 points of E* on every run.
/// </remarks>
public sealed class SessionHistory
{
    public const double EnergyQuantile = 0.4;

    private readonly double[] _energyKwh;
    private readonly double[] _dwellHours;

    public SessionHistory(IEnumerable<double> energyKwh, IEnumerable<double> dwellHours)
    {
        _energyKwh = energyKwh.Where(e => double.IsFinite(e) && e > 0).Order().ToArray();
        _dwellHours = dwellHours.Where(h => double.IsFinite(h) && h > 0).Order().ToArray();
    }

    public int EnergySamples => _energyKwh.Length;

    public int DwellSamples => _dwellHours.Length;

    public double? MedianEnergyKwh => ConditionalQuantile(_energyKwh, 0, 0.5);

    public double? MedianDwellHours => RemainingHours(0);

    /// <summary>The <see cref="EnergyQuantile"/> of (e − delivered) over past sessions that took more than <paramref name="deliveredKwh"/>.</summary>
    public double? RemainingEnergyKwh(double deliveredKwh) => ConditionalQuantile(_energyKwh, deliveredKwh, EnergyQuantile);

    /// <summary>Median of (h − elapsed) over past sessions that stayed longer than <paramref name="elapsedHours"/>.</summary>
    public double? RemainingHours(double elapsedHours) => ConditionalQuantile(_dwellHours, elapsedHours, 0.5);

    /// <summary>The q-quantile (linear between order statistics; q = 0.5 is the usual median) of the values above
    /// <paramref name="already"/>, less it.</summary>
    private static double? ConditionalQuantile(double[] sorted, double already, double q)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (sorted[mid] <= already) lo = mid + 1; else hi = mid;
        }
        int n = sorted.Length - lo;
        if (n == 0) return null;
        double pos = q * (n - 1);
        int below = (int)Math.Floor(pos);
        int above = Math.Min(n - 1, below + 1);
        double value = sorted[lo + below] + (pos - below) * (sorted[lo + above] - sorted[lo + below]);
        return value - already;
    }
}
