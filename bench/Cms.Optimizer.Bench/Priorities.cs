namespace Cms.Optimizer.Bench;

/// <summary>
/// PRIO scenario of the notes: congested workplace (rho 0.05), priorities 60 % at 3, 20 % at 1, 20 % at 5.
/// Prints, per policy and priority, the mean served fraction (delivered / requested) and Jain within the class.
/// Expect monotonicity for load sharing: priority 1 > 3 > 5. PRIO_SEED=8 draws another day (default 7), to check a
/// fairness change is not tuned to one day.
/// </summary>
public static class Priorities
{
    public static void Run(int sessions)
    {
        var baseSc = Generators.Workplace(sessions, seed: ulong.Parse(Environment.GetEnvironmentVariable("PRIO_SEED") ?? "7"), rho: 0.05);
        var rng = new Pcg32(ulong.Parse(Environment.GetEnvironmentVariable("PRIO_SEED") ?? "7"), 3);
        var withPrio = baseSc.Sessions.Select(s =>
        {
            double u = rng.NextDouble();
            return s with { Priority = u < 0.2 ? 1 : u < 0.8 ? 3 : 5 };
        }).ToList();
        var sc = baseSc with { Name = $"workplace-prio-{sessions}", Sessions = withPrio };
        Console.WriteLine();
        Console.WriteLine($"Priorities ({sc.Name}, rho 0.05): mean served fraction / Jain within class");
        Console.WriteLine("| policy | viol. | prio 1 | prio 3 | prio 5 |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var policy in new IPolicy[] { new OptimizerPolicy(Objective.LoadSharing), new OptimizerPolicy(Objective.Fleet) })
        {
            var stats = ClosedLoop.Run(sc, policy, out var delivered);
            string Cell(int prio)
            {
                var x = sc.Sessions.Where(s => s.Priority == prio).Select(s => delivered[s.Id] / s.NeedKwh).ToArray();
                double jain = x.Sum() * x.Sum() / (x.Length * x.Sum(v => v * v));
                return $"{x.Average():F3} / {jain:F3}";
            }
            Console.WriteLine($"| {policy.Name} | {stats.Violations} | {Cell(1)} | {Cell(3)} | {Cell(5)} |");
        }
    }
}
