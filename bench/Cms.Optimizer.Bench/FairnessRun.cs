namespace Cms.Optimizer.Bench;

/// <summary>
/// `--fair`: the rows the fleet's within-class fairness must not cost, in one short run: workplace-500 and depot-500
/// (fleet), Caltech at 20 kW (fleet and LLF), then the priority scenario (Jain within class). About a minute, not the
/// full bench's twenty.
/// </summary>
public static class FairnessRun
{
    public static void Run(string acnPath)
    {
        var rows = new List<Row>();
        IPolicy fleet = new OptimizerPolicy(Objective.Fleet);
        foreach (var sc in new[] { Generators.Workplace(500, seed: 42, rho: 0.10), Generators.Depot(500, seed: 42) })
        {
            var (eStar, cStar) = Offline.Optimum(sc, withCost: true);
            rows.Add(new Row(ClosedLoop.Run(sc, fleet), eStar, cStar, null, sc.Name.StartsWith("depot", StringComparison.Ordinal)
                ? "cost <= 101 % of C*" : "fleet >= 99.8 % of E*"));
        }
        rows.AddRange(AcnReplay.Rows(acnPath, onlyEnergyAt20Kw: true));
        Report.Print(rows);
        Priorities.Run(500);
    }
}
