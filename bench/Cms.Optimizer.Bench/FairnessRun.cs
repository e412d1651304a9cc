namespace Cms.Optimizer.Bench;

/// <summary>
/// `--fair`: the rows the fleet's within-class fairness must not cost, in one short run: workplace-500 and depot-500
/// (fleet), Caltech at 20 kW (fleet and LLF), then the priority scenario (Jain within class). About a minute, not the
/// full bench's twenty. With `--sizes 5000` the workplace and depot rows are that size instead (no C*; run time).
/// </summary>
public static class FairnessRun
{
    public static void Run(string acnPath, int size = 500)
    {
        var rows = new List<Row>();
        IPolicy fleet = new OptimizerPolicy(Objective.Fleet);
        foreach (var sc in new[] { Generators.Workplace(size, seed: 42, rho: 0.10), Generators.Depot(size, seed: 42) })
        {
            var (eStar, cStar) = Offline.Optimum(sc, withCost: size <= 500);
            rows.Add(new Row(ClosedLoop.Run(sc, fleet), eStar, cStar, null, sc.Name.StartsWith("depot", StringComparison.Ordinal)
                ? "cost <= 101 % of C*" : "fleet >= 99.8 % of E*"));
        }
        if (size <= 500) rows.AddRange(AcnReplay.Rows(acnPath, onlyEnergyAt20Kw: true));
        Report.Print(rows);
        if (size <= 500) Priorities.Run(500);
    }
}
