using System.Diagnostics;
using System.Globalization;
using Cms.Bench.Shared;
using Cms.Ocpp.Bench;

// OCPP hot-path load generator (issue 9): N OCPP 1.6 chargers over real WebSockets against the real host, started here
// as a child process (Release build, temp store). Each charger keeps one CALL outstanding and sends a bounded mix of
// MeterValues, StatusNotification and Heartbeat back to back for a bounded time. Prints msgs/s, p50/p99 latency and
// the host's CPU µs per message (/proc/<pid>/stat), then SIGKILLs the host and counts the acknowledged meter readings
// that are in the store. `--smoke`: 10 chargers, 2 s. `--chargers 100,1000`, `--seconds 10`, `--rate R` (messages per
// charger per second; 0 = back to back), `--warmup S` (default 2), `--samples N` (per MeterValues, default 2). `--schema`: framing and schema validation CPU per
// message, alone. `--store`: the store's CPU per message, alone. `--group`: the group commit alone (GroupCommitShare). `--cluster`: persisted MeterValues/s on SQLite and on
// PostgreSQL with 1 and 2 nodes (ClusterThroughput). Asserts nothing.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Contains("--schema"))
{
    SchemaShare.Run(args.Contains("--smoke") ? 2_000 : 50_000);
    return;
}
var smoke = args.Contains("--smoke");
if (args.Contains("--store"))
{
    await StoreShare.RunAsync(smoke ? 2_000 : 40_000);
    return;
}
if (args.Contains("--group"))
{
    // The group commit alone (GroupCommitShare): N callers with one MeterValues-like item in flight each.
    var groupCallers = args.SkipWhile(a => a != "--chargers").Skip(1).Select(int.Parse).FirstOrDefault(smoke ? 10 : 100);
    await GroupCommitShare.RunAsync(groupCallers, smoke ? 2 : args.SkipWhile(a => a != "--seconds").Skip(1).Select(double.Parse).FirstOrDefault(8));
    return;
}
if (args.Contains("--cluster"))
{
    // Persisted MeterValues/s (issue 16): SQLite one node, PostgreSQL one and two nodes (AMPCMS_TEST_POSTGRES).
    var clusterChargers = args.SkipWhile(a => a != "--chargers").Skip(1).Select(int.Parse).FirstOrDefault(smoke ? 10 : 100);
    var clusterSeconds = args.SkipWhile(a => a != "--seconds").Skip(1).Select(double.Parse).FirstOrDefault(smoke ? 2 : 10);
    Console.WriteLine($"AmpCMS cluster throughput: {Environment.ProcessorCount} logical CPU(s), .NET {Environment.Version}; hosts and " +
        $"PostgreSQL on this machine; {clusterChargers} chargers sending MeterValues (2 samples) back to back, {clusterSeconds} s window");
    await ClusterThroughput.RunAsync(clusterChargers, TimeSpan.FromSeconds(clusterSeconds), Console.WriteLine);
    return;
}
if (args.Contains("--proxy"))
{
    // Relay latency (issue 11): 100 chargers (10 with --smoke), Heartbeats at 2/s each, direct vs through the proxy.
    var proxySeconds = args.SkipWhile(a => a != "--seconds").Skip(1).Select(double.Parse).FirstOrDefault(smoke ? 3 : 10);
    await ProxyLatency.RunAsync(smoke ? 10 : 100, TimeSpan.FromSeconds(proxySeconds), 2.0, Console.WriteLine);
    return;
}
int[] sizes = smoke ? [10] : [100, 1000];
var seconds = smoke ? 2.0 : 10.0;
var rate = 0.0;
var warmUp = 2.0;
for (var i = 0; i + 1 < args.Length; i++)
    switch (args[i])
    {
        case "--chargers": sizes = args[i + 1].Split(',').Select(int.Parse).ToArray(); break;
        case "--seconds": seconds = double.Parse(args[i + 1]); break;
        case "--rate": rate = double.Parse(args[i + 1]); break;
        case "--warmup": warmUp = double.Parse(args[i + 1]); break;
        case "--samples": LoadCharger.Samples = int.Parse(args[i + 1]); break;
    }

Console.WriteLine($"AmpCMS OCPP load: {Environment.ProcessorCount} logical CPU(s), .NET {Environment.Version}; host = {HostProcess.HostDll()} " +
    $"(separate process); mix 90 % MeterValues ({LoadCharger.Samples} samples), 5 % StatusNotification, 5 % Heartbeat; " +
    (rate > 0 ? $"{rate}/s per charger" : "back to back, one CALL outstanding per charger"));
var rows = new List<string>();
foreach (var n in sizes)
    rows.Add(await LoadRun.RunAsync(n, TimeSpan.FromSeconds(seconds), rate, Console.WriteLine, TimeSpan.FromSeconds(warmUp)));
Console.WriteLine();
Console.WriteLine("chargers | msgs/s | MeterValues/s | p50 ms | p99 ms | host CPU µs/msg | host CPU % | acknowledged readings found after SIGKILL");
foreach (var r in rows) Console.WriteLine(r);
