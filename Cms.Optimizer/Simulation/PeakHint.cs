namespace Cms.Optimizer.Simulation;

/// <summary>
/// A peak hint for <see cref="NetworkLimits.MinimizePeak"/> from the site's own past days (ACN's "peak hint"). Online,
/// the lowest-peak plan only sees the cars present, so it discovers late in the day that the morning was planned too
/// flat (1.14 × the clairvoyant lowest peak P* on the workplace bench). A past day's P* tells how high the site's import
/// has to go anyway; treated as already paid for (<see cref="NetworkLimits.PeakSoFarKw"/>), power up to it is used
/// from the morning on. A hint too low costs nothing (the plan stays energy-optimal), one too high raises the peak, so
/// the median of several days is taken, not the highest.
/// </summary>
public static class PeakHint
{
    /// <summary>
    /// The lowest flat import cap (charging + <paramref name="importOffsetKw"/>, i.e. baseload − solar, kW) at which the
    /// day's recorded sessions could still all have got the clairvoyant maximum energy. Bisection on max-flows, to
    /// within 0.5 % (at least 0.1 kW). 0 when the day delivered nothing.
    /// </summary>
    public static double LowestPeakKw(ReplayInput day, double[]? importOffsetKw = null)
    {
        double Offset(int t) => importOffsetKw is { } o && t < o.Length ? o[t] : 0;
        // Charging capacity per period (baseload and solar included), then the same capped at an import peak P.
        var charging = new double[day.Periods];
        double hi = 0;
        for (int t = 0; t < day.Periods; t++)
        {
            charging[t] = Math.Max(0, day.GridLimitKw[t] * (1 - day.BufferFraction) - Offset(t));
            hi = Math.Max(hi, charging[t] + Offset(t));
        }
        var open = day with { GridLimitKw = charging, BufferFraction = 0 };
        double energy = Replay.ClairvoyantEnergy(open);
        if (energy <= 1e-9) return 0;
        double lo = 0;
        var capped = new double[day.Periods];
        while (hi - lo > Math.Max(0.1, hi / 200))
        {
            double mid = 0.5 * (lo + hi);
            for (int t = 0; t < day.Periods; t++) capped[t] = Math.Min(charging[t], Math.Max(0, mid - Offset(t)));
            if (Replay.ClairvoyantEnergy(open with { GridLimitKw = capped }) >= energy - 1e-6) hi = mid; else lo = mid;
        }
        return hi;
    }

    /// <summary>The hint for today: the median of the past days' lowest peaks (days that delivered nothing left out); 0 = none.</summary>
    public static double FromPastDays(IEnumerable<double> lowestPeaksKw)
    {
        var peaks = lowestPeaksKw.Where(p => double.IsFinite(p) && p > 0).Order().ToArray();
        if (peaks.Length == 0) return 0;
        return peaks.Length % 2 == 1 ? peaks[peaks.Length / 2] : 0.5 * (peaks[peaks.Length / 2 - 1] + peaks[peaks.Length / 2]);
    }
}
