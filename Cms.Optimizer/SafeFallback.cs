using Cms.Optimizer.Internal;

namespace Cms.Optimizer;

/// <summary>
/// The plan to fall back on when a run is too slow: each session's previous limits (<see cref="SessionInput.PreviousLimitsKw"/>,
/// 0 for a session without one), cut to today's caps and scaled down per charge point and per period until the
/// network fits, then floored onto the step grid (a limit below the minimum load becomes 0). Linear in sessions ×
/// periods, no search: it always finishes, and it keeps every hard rule of the optimizer.
/// </summary>
public static class SafeFallback
{
    public static OptimizationResult Scale(OptimizationInput input)
    {
        InputValidator.Validate(input);
        var p = Problem.From(input);
        var led = new Ledger(p, p.AvailW, p.NeedWp);
        var want = new long[p.N * p.T];
        for (int i = 0; i < p.N; i++)
        {
            var prev = p.Sessions[i].PreviousLimitsKw;
            long need = p.NeedWp[i];
            for (int t = 0; t < Math.Min(p.Dep[i], prev?.Length ?? 0); t++)
            {
                long x = Math.Min(Math.Max(0, Problem.FloorW(prev![t])), Math.Min(p.CapW[i], need));
                want[i * p.T + t] = x;
                need -= x;
            }
        }
        for (int t = 0; t < p.T; t++)
        {
            // Per charge point, then for the network: one scale factor each (integer watts, rounded down).
            long total = 0;
            for (int c = 0; c < p.CpCount; c++)
            {
                long sum = 0;
                foreach (int i in p.CpSessions[c]) sum += want[i * p.T + t];
                if (sum > p.CpCapW[c])
                    foreach (int i in p.CpSessions[c]) want[i * p.T + t] = (long)((Int128)want[i * p.T + t] * p.CpCapW[c] / sum);
                foreach (int i in p.CpSessions[c]) total += want[i * p.T + t];
            }
            for (int i = 0; i < p.N; i++)
            {
                long x = want[i * p.T + t];
                if (total > p.AvailW[t]) x = (long)((Int128)x * p.AvailW[t] / total);
                x = p.Allowed(x);
                if (x > 0) led.Set(i, t, x);
            }
        }
        return ResultBuilder.Build(p, led, null, null, 0);
    }
}
