using System.Diagnostics;
using System.Globalization;
using Cms.Optimizer;
using Cms.Optimizer.Bench;

// Optimizer benchmark: closed-loop MPC over deterministic scenarios, against the clairvoyant optimum and an LLF
// baseline. `--smoke` runs the small sizes only (CI); `--snapshot` times single reoptimizations; `--acn` replays
// the Caltech data only (path from ACN_EVENTS or the shared default); `--fair` the rows fleet fairness must not cost
// (workplace/depot 500, Caltech 20 kW) and the priority scenario. Figures go to stdout.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
bool smoke = args.Contains("--smoke");
var total = Stopwatch.StartNew();
int[] sizes = smoke ? [50, 500] : [50, 500, 5000];
// `--sizes 500,5000` and `--only NAME` (scenario names containing NAME) narrow a run while working on one row;
// BENCH_SEED=43 draws another workplace day (default 42) to check a change is not tuned to one day.
if (args.Contains("--sizes")) sizes = args[Array.IndexOf(args, "--sizes") + 1].Split(',').Select(int.Parse).ToArray();
string? only = args.Contains("--only") ? args[Array.IndexOf(args, "--only") + 1] : null;
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
if (args.Contains("--fair"))
{
    FairnessRun.Run(acnPath, sizes.Length == 1 ? sizes[0] : 500);
    return;
}
if (args.Contains("--acn"))
{
    Report.Print(AcnReplay.Rows(acnPath));
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

var rows = new List<Row>();
IPolicy ls = new OptimizerPolicy(Objective.LoadSharing), fleet = new OptimizerPolicy(Objective.Fleet), llf = new LlfPolicy();
foreach (int n in sizes)
{
    bool withCost = n <= 500 && !smoke;
    bool withPeak = n <= 500;
    var workplace = Generators.Workplace(n, seed: ulong.Parse(Environment.GetEnvironmentVariable("BENCH_SEED") ?? "42"), rho: 0.10);
    var flat = Generators.Workplace(n, seed: 42, rho: 0.30) with { Name = $"workplace-flat-{n}", Price = null, MinimizePeak = true };
    var scenarios = new (Scenario Sc, (IPolicy Policy, string Target)[] Policies)[]
    {
        (workplace, [(fleet, "fleet >= 99.8 % of E*"), (ls, "load sharing >= 97 % of E*"), (llf, "baseline")]),
        (Defaults.Unknown(workplace), [(ls, "needs/departures unknown, site history: >= 97 % of E*")]),
        (flat, [(fleet, "no prices: lowest peak (online)"), (ls, "–"), (llf, "baseline")]),
        (Defaults.PeakHint(flat, n), [(fleet, "peak <= 1.05 P*")]),
        (Generators.Depot(n, seed: 42), [(fleet, "cost <= 101 % of C*"), (ls, "–"), (llf, "baseline")]),
        (Generators.Depot(n, seed: 42, v2g: true), [(new OptimizerPolicy(Objective.VehicleToGrid), "0 violations")]),
    };
    foreach (var (sc, policies) in scenarios)
    {
        if (only is not null && !sc.Name.Contains(only, StringComparison.Ordinal)) continue;
        var reference = sc.History is not null ? workplace : sc;
        var (eStar, cStar) = Offline.Optimum(reference, withCost);
        double? pStar = withPeak && sc.Price is null ? Offline.PeakStar(sc, eStar) : null;
        foreach (var (policy, target) in policies)
        {
            var stats = ClosedLoop.Run(sc, policy);
            rows.Add(new Row(stats, eStar, cStar, pStar, target));
            Console.Error.WriteLine($"  done {sc.Name} {policy.Name} ({total.Elapsed.TotalSeconds:F1} s)");
        }
    }
}
if (!smoke && (only is null || "caltech".Contains(only, StringComparison.Ordinal))) rows.AddRange(AcnReplay.Rows(acnPath));

Report.Print(rows);
Priorities.Run(500);
Console.WriteLine($"total {total.Elapsed.TotalSeconds:F1} s");
