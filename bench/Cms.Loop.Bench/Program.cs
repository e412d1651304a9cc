using System.Diagnostics;
using System.Globalization;
using Cms.Loop.Bench;

// Closed-loop latency benchmark (issue 5, item 6): N simulated OCPP 1.6 chargers on one network against the real host
// on 127.0.0.1. Time from the StartTransaction frame leaving a charger until every charger with an open session has a
// SetChargingProfile from a run that includes the new session. The host runs as a child process (HostProcess). `--smoke`: N=10 only, few repetitions (< 30 s).
// `--sizes 10,100`: choose sizes; `--reps 30`: repetitions per phase. Prints figures; asserts nothing.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var smoke = args.Contains("--smoke");
int[] sizes = smoke ? [10] : [10, 100, 1000];
var sizesAt = Array.IndexOf(args, "--sizes");
if (sizesAt >= 0 && sizesAt + 1 < args.Length) sizes = args[sizesAt + 1].Split(',').Select(int.Parse).ToArray();
var repsAt = Array.IndexOf(args, "--reps");
int? repsOverride = repsAt >= 0 && repsAt + 1 < args.Length ? int.Parse(args[repsAt + 1]) : null;
int Reps(int n) => repsOverride ?? (smoke ? 8 : n >= 1000 ? 10 : 100);
int WarmUp(int n) => smoke ? 3 : n >= 1000 ? 3 : 10;

var total = Stopwatch.StartNew();
Console.WriteLine($"AmpCMS closed-loop latency: {Environment.ProcessorCount} logical CPU(s), {Environment.OSVersion}, .NET {Environment.Version}, " +
    "chargers here, the host (Release) in its own process on 127.0.0.1");
var results = new List<ScenarioResult>();
foreach (var n in sizes)
{
    Console.WriteLine($"N={n}: {WarmUp(n)} warm-up repetitions (discarded), then {Reps(n)} without and {Reps(n)} with MeterValues load…");
    results.AddRange(await LoopScenario.RunAsync(n, Reps(n), WarmUp(n), Console.WriteLine));
}

Console.WriteLine();
Console.WriteLine("StartTransaction → last SetChargingProfile (all sessions' new limits), ms");
Console.WriteLine("connectors | load        | p50 ms | p90 ms | p99 ms | max ms | samples | first p50 | answer p50 | run start p50 | host CPU ms p50");
foreach (var r in results)
{
    var ok = r.Samples.Where(s => s.Complete).ToList();
    var lastMs = ok.Select(s => s.LastMs).ToList();
    string Med(Func<Sample, double> f) => Fmt(Pct(ok.Select(f).Where(v => !double.IsNaN(v)).ToList(), 0.50));
    var loadText = r.Load ? $"MV {r.MeterValuesSent / Math.Max(1, r.LoadSeconds):F0}/s" : "none";
    Console.WriteLine($"{r.Connectors,10} | {loadText,-11} | {Fmt(Pct(lastMs, 0.50)),6} | {Fmt(Pct(lastMs, 0.90)),6} | {Fmt(Pct(lastMs, 0.99)),6} | " +
        $"{Fmt(lastMs.DefaultIfEmpty(double.NaN).Max()),6} | {ok.Count,3}/{r.Samples.Count,-3} | {Med(s => s.FirstMs),9} | {Med(s => s.AnswerMs),10} | " +
        $"{Med(s => s.RunStartMs),13} | {Med(s => s.HostCpuMs),15}");
}
Console.WriteLine();
Console.WriteLine("p99 is nearest-rank (with ≤ 100 samples it is the largest or second largest). answer = StartTransaction CALLRESULT back at the charger;");
Console.WriteLine("run start = optimizer run that first includes the new session starts (its profiles' validFrom);");
Console.WriteLine("first/last = SetChargingProfile arrivals; host CPU = the host's CPU time from t0 until the last arrival (with load, the meter values' too).");
foreach (var r in results.Where(r => r.Load))
    Console.WriteLine($"load N={r.Connectors}: {r.MeterValuesSent} MeterValues answered in {r.LoadSeconds:F1} s, {r.MeterValuesSkipped} turns skipped " +
        $"(previous still unanswered), {r.MeterValueErrors} errors");
Console.WriteLine($"total {total.Elapsed.TotalSeconds:F1} s");
return;

static double Pct(List<double> values, double p)
{
    if (values.Count == 0) return double.NaN;
    var sorted = values.Order().ToList();
    var rank = (int)Math.Ceiling(p * sorted.Count);
    return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
}

static string Fmt(double v) => double.IsNaN(v) ? "-" : v.ToString(v < 100 ? "F1" : "F0", CultureInfo.InvariantCulture);
