using System.Runtime.InteropServices;

namespace Cms.Optimizer.Bench;

/// <summary>
/// CPU time of the calling thread (clock_gettime CLOCK_THREAD_CPUTIME_ID, nanosecond resolution). The bench machine
/// is shared, so wall time includes time spent descheduled; thread CPU time is the optimizer's own cost.
/// NaN off Linux.
/// </summary>
public static class CpuClock
{
    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds, Nanoseconds;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int clock_gettime(int clock, out TimeSpec ts);

    public static double NowMs()
    {
        if (!OperatingSystem.IsLinux()) return double.NaN;
        if (clock_gettime(3, out var ts) != 0) return double.NaN; // 3 = CLOCK_THREAD_CPUTIME_ID
        return ts.Seconds * 1000.0 + ts.Nanoseconds / 1e6;
    }

    /// <summary>Runs the work once, adding its wall time and its CPU time (ms) to the two lists.</summary>
    public static T Timed<T>(Func<T> work, List<double> wallMs, List<double> cpuMs)
    {
        var c0 = NowMs();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var result = work();
        wallMs.Add(sw.Elapsed.TotalMilliseconds);
        cpuMs.Add(NowMs() - c0);
        return result;
    }
}
