namespace Cms.Optimizer.Bench;

/// <summary>Single-snapshot speed: one reoptimization with every car of the day present (worst case).</summary>
public static class SnapshotTiming
{
    public static void Run(Scenario sc, Objective objective, int repeats)
    {
        var left = sc.Sessions.ToDictionary(s => s.Id, s => s.NeedKwh);
        int k = sc.Sessions.Max(s => s.Arrival);
        var active = sc.Sessions.Where(s => s.Arrival <= k && k < s.Departure).ToList();
        var input = ClosedLoop.Snapshot(sc, k, sc.Periods - k, active, left) with { Objective = objective };
        var times = new List<double>();
        var cpu = new List<double>();
        OptimizationResult? r = null;
        // Warm-up so tiered JIT has promoted the hot loops (a server reaches that state within minutes).
        for (int rep = 0; rep < 3; rep++) SmartChargingOptimizer.Optimize(input);
        for (int rep = 0; rep < repeats; rep++)
        {
            r = CpuClock.Timed(() => SmartChargingOptimizer.Optimize(input), times, cpu);
        }
        times.Sort();
        cpu.Sort();
        Console.WriteLine($"snapshot {sc.Name} {objective}: {active.Count} sessions, {sc.Periods - k} periods, " +
                          $"wall median {times[times.Count / 2]:F1} ms (min {times[0]:F1}), CPU median {cpu[cpu.Count / 2]:F1} ms, planned {r!.Schedules.Sum(s => s.PlannedEnergyKwh):F0} kWh, bound {r.UpperBoundEnergyKwh:F0}");
    }
}
