using System.Diagnostics;
using System.Globalization;
using Cms.Optimizer;
using Cms.Optimizer.Bench;

// Optimizer benchmark: closed-loop MPC over deterministic scenarios, against the clairvoyant optimum and an LLF
// baseline. `--smoke` runs the small sizes only (CI); `--snapshot` times single reoptimizations; `--acn` replays
// the Caltech data only (path from ACN_EVENTS or the shared default). Figures go to stdout.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
bool smoke = args.Contains("--smoke");
var total = Stopwatch.StartNew();
int[] sizes = smoke ? [50, 500] : [50, 500, 5000];
string acnPath = Environment.GetEnvironmentVariable("ACN_EVENTS") ?? "/work/shared/data/acn/caltech_2019-03_events.json.gz";
if (args.Contains("--trace"))
{
    // Per-reoptimization CPU time of the fleet closed loop (finds slow snapshots).
    int n = int.Parse(args[Array.IndexOf(args, "--trace") + 1]);
    foreach (var sc in new[] { Generators.Depot(n, 42), Generators.Workplace(n, 42, rho: 0.10) })
        ClosedLoop.Run(sc, new OptimizerPolicy(Objective.Fleet), trace: true);
    return;
}
if (args.Contains("--prio"))
{
    Priorities.Run(500);
    return;
}
if (args.Contains("--acn"))
{
    AcnReplay.Run(acnPath);
    return;
}
if (args.Contains("--snapshot"))
{
    foreach (int n in new[] { 500, 5000 })
        foreach (var obj in new[] { Objective.LoadSharing, Objective.Fleet })
        {
            SnapshotTiming.Run(Generators.Depot(n, 42), obj, n > 1000 ? 3 : 10);
            SnapshotTiming.Run(Generators.Workplace(n, 42), obj, n > 1000 ? 3 : 10);
        }
    return;
}

var rows = new List<(RunStats Stats, double EStar, double? CStar)>();
foreach (int n in sizes)
{
    var scenarios = new[]
    {
        Generators.Workplace(n, seed: 42, rho: 0.10),
        Generators.Depot(n, seed: 42),
        Generators.Depot(n, seed: 42, v2g: true),
    };
    foreach (var sc in scenarios)
    {
        bool withCost = n <= 500 && !smoke;
        var (eStar, cStar) = Offline.Optimum(sc, withCost);
        IPolicy[] policies = sc.V2gExportKw is null
            ? [new OptimizerPolicy(Objective.LoadSharing), new OptimizerPolicy(Objective.Fleet), new LlfPolicy()]
            : [new OptimizerPolicy(Objective.VehicleToGrid)];
        foreach (var policy in policies)
        {
            var stats = ClosedLoop.Run(sc, policy);
            rows.Add((stats, eStar, cStar));
            Console.Error.WriteLine($"  done {sc.Name} {policy.Name} ({total.Elapsed.TotalSeconds:F1} s)");
        }
    }
}

Report.Print(rows);
Priorities.Run(500);
if (!smoke) AcnReplay.Run(acnPath);
Console.WriteLine($"total {total.Elapsed.TotalSeconds:F1} s");
