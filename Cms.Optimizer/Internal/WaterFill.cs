namespace Cms.Optimizer.Internal;

/// <summary>
/// Weighted water-filling with one charge-point level: find the largest level λ such that
/// Σ_cp min(cpRoom, Σ_i min(u_i, w_i·λ)) ≤ capacity, then level each saturated charge point on its own.
/// Power a session can't take (its cap u_i) or its charge point can't pass flows to the others automatically.
/// Results are floored to whole watts, so they never exceed a cap.
/// </summary>
internal static class WaterFill
{
    private const int Iterations = 24;

    /// <param name="cpOf">Charge point of each member; members of one charge point must be adjacent.</param>
    /// <param name="b">Optional offsets: member k gets clamp(w_k·λ − b_k, 0, u_k) (b_k ≥ 0), e.g. energy already delivered.</param>
    public static void Solve(int count, int[] cpOf, double[] u, double[] w,
                             long[] cpRoom, long capacity, long[] result, double[]? b = null)
    {
        if (count == 0) return;
        _b = b;
        double hi = 0;
        for (int k = 0; k < count; k++) hi = Math.Max(hi, (u[k] + Off(k)) / w[k]);
        double level = hi;
        if (Total(count, cpOf, u, w, cpRoom, hi) > capacity)
        {
            double lo = 0;
            for (int it = 0; it < Iterations; it++)
            {
                double mid = 0.5 * (lo + hi);
                if (Total(count, cpOf, u, w, cpRoom, mid) <= capacity) lo = mid; else hi = mid;
            }
            // G is piecewise linear: one secant step inside the bracket usually lands on the exact level; keep it
            // only if it stays feasible. The watts still missing are handed out by GiveBackRounding.
            double gLo = Total(count, cpOf, u, w, cpRoom, lo), gHi = Total(count, cpOf, u, w, cpRoom, hi);
            if (gHi > gLo)
            {
                double guess = lo + (hi - lo) * (capacity - gLo) / (gHi - gLo);
                if (guess > lo && guess < hi && Total(count, cpOf, u, w, cpRoom, guess) <= capacity) lo = guess;
            }
            level = lo;
        }

        for (int start = 0; start < count;)
        {
            int end = start;
            while (end < count && cpOf[end] == cpOf[start]) end++;
            double lv = level;
            long room = cpRoom[cpOf[start]];
            if (Group(start, end, u, w, lv) > room)
            {
                double lo = 0, h = lv;
                for (int it = 0; it < Iterations; it++)
                {
                    double mid = 0.5 * (lo + h);
                    if (Group(start, end, u, w, mid) <= room) lo = mid; else h = mid;
                }
                lv = lo;
            }
            for (int k = start; k < end; k++) result[k] = (long)Math.Floor(At(k, u, w, lv));
            start = end;
        }
        GiveBackRounding(count, cpOf, u, cpRoom, capacity, result);
    }

    /// <summary>
    /// Flooring to watts and stopping the bisection just below the level leave a few watts unused; hand them out one
    /// watt at a time (within every cap) so that e.g. 30 kW split two ways is 15 + 15, not 14.999 + 14.999.
    /// </summary>
    private static void GiveBackRounding(int count, int[] cpOf, double[] u, long[] cpRoom, long capacity, long[] result)
    {
        long left = capacity;
        for (int k = 0; k < count; k++) left -= result[k];
        for (int pass = 0; pass < 4 && left > 0; pass++)
        {
            bool progress = false;
            for (int start = 0; start < count && left > 0;)
            {
                int end = start;
                long used = 0;
                while (end < count && cpOf[end] == cpOf[start]) used += result[end++];
                long room = cpRoom[cpOf[start]] - used;
                for (int k = start; k < end && left > 0 && room > 0; k++)
                {
                    if (result[k] + 1 > u[k]) continue;
                    result[k]++;
                    left--;
                    room--;
                    progress = true;
                }
                start = end;
            }
            if (!progress) break;
        }
    }

    private static double Total(int count, int[] cpOf, double[] u, double[] w, long[] cpRoom, double level)
    {
        double total = 0;
        for (int start = 0; start < count;)
        {
            int end = start;
            double s = 0;
            while (end < count && cpOf[end] == cpOf[start]) { s += At(end, u, w, level); end++; }
            total += Math.Min(s, cpRoom[cpOf[start]]);
            start = end;
        }
        return total;
    }

    private static double Group(int start, int end, double[] u, double[] w, double level)
    {
        double s = 0;
        for (int k = start; k < end; k++) s += At(k, u, w, level);
        return s;
    }

    [ThreadStatic] private static double[]? _b;

    private static double Off(int k) => _b is null ? 0 : _b[k];

    private static double At(int k, double[] u, double[] w, double level) => Math.Clamp(w[k] * level - Off(k), 0, u[k]);
}
