using System.Diagnostics;
using Cms.Bench.Shared;
using Npgsql;

namespace Cms.Ocpp.Bench;

/// <summary>
/// Persisted MeterValues throughput (issue 16): N OCPP 1.6 chargers, each sending MeterValues back to back (one CALL
/// outstanding), spread evenly over the nodes, on SQLite (one node, the reference) and on PostgreSQL with one and two
/// nodes. "Persisted" is counted in the store: meter_values rows added during the window (two sampled values per
/// reading). Host CPU is every node's; PostgreSQL's own CPU is its server processes' (same machine).
/// </summary>
public static class ClusterThroughput
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);

    public static async Task RunAsync(int chargers, TimeSpan window, Action<string> log)
    {
        var postgres = Environment.GetEnvironmentVariable("AMPCMS_TEST_POSTGRES");
        var rows = new List<string> { await RunOneAsync("SQLite", 1, null, chargers, window, log) };
        if (string.IsNullOrWhiteSpace(postgres))
            log("  PostgreSQL rows skipped: set AMPCMS_TEST_POSTGRES (eval \"$(bash tests/postgres/start.sh --env)\")");
        else
            foreach (var nodes in new[] { 1, 2 })
                rows.Add(await RunOneAsync("PostgreSQL", nodes, await CreateDatabaseAsync(postgres), chargers, window, log));
        log("");
        log("store      | nodes | chargers | persisted MeterValues/s | acknowledged/s | p50 ms | p99 ms | hosts CPU % | PostgreSQL CPU %");
        foreach (var r in rows) log(r);
    }

    private static async Task<string> CreateDatabaseAsync(string server)
    {
        var name = "ampcms_bench_" + Guid.NewGuid().ToString("N")[..12];
        await using var conn = new NpgsqlConnection(server);
        await conn.OpenAsync();
        await using (var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", conn)) await cmd.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    private static async Task<string> RunOneAsync(string store, int nodeCount, string? postgres, int n, TimeSpan window, Action<string> log)
    {
        string[] extra = postgres is null ? [] : [$"--Storage:Postgres={postgres}"];
        var nodes = new List<HostProcess>();
        try
        {
            // One after the other: the first applies the migrations.
            for (var i = 0; i < nodeCount; i++) nodes.Add(await HostProcess.StartAsync(null, extra));
            var ids = await nodes[0].CreateChargersAsync($"CL{nodeCount}{store[0]}", n);
            var chargers = ids.Select(id => new LoadCharger(id)).ToArray();
            await Parallel.ForEachAsync(chargers.Select((c, i) => (c, i)), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (ci, cancel) =>
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                timeout.CancelAfter(TimeSpan.FromSeconds(60));
                await ci.c.ConnectAsync(nodes[ci.i % nodeCount].WebSocketBase, timeout.Token);
                await ci.c.BootAsync();
                await ci.c.StartTransactionAsync();
            });

            var stop = false;
            var measuring = 0;
            long acknowledged = 0, errors = 0;
            var latencies = new List<double>[n];
            var loops = chargers.Select((c, i) => Task.Run(async () =>
            {
                var mine = latencies[i] = new List<double>(4096);
                while (!Volatile.Read(ref stop))
                {
                    var t0 = Stopwatch.GetTimestamp();
                    try { await c.MeterValuesAsync(); }
                    catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException)
                    {
                        if (Interlocked.Increment(ref errors) <= 3) log($"  {store}×{nodeCount}: {e.Message}");
                        continue;
                    }
                    if (Volatile.Read(ref measuring) == 1)
                    {
                        mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                        Interlocked.Increment(ref acknowledged);
                    }
                }
            })).ToArray();

            await Task.Delay(WarmUp);
            var rows0 = await MeterRowsAsync(nodes[0], postgres);
            var cpu0 = nodes.Sum(h => h.CpuTime().TotalSeconds);
            var pg0 = PostgresCpuSeconds();
            var wall = Stopwatch.StartNew();
            Volatile.Write(ref measuring, 1);
            await Task.Delay(window);
            Volatile.Write(ref measuring, 0);
            var elapsed = wall.Elapsed.TotalSeconds;
            var rows1 = await MeterRowsAsync(nodes[0], postgres);
            var cpu = nodes.Sum(h => h.CpuTime().TotalSeconds) - cpu0;
            var pg = PostgresCpuSeconds() - pg0;
            foreach (var (node, k) in nodes.Select((h, k) => (h, k))) log($"  {store}×{nodeCount} node {k}: {await WorkAsync(node)}");
            Volatile.Write(ref stop, true);
            await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(90));
            await Parallel.ForEachAsync(chargers, async (c, _) => await c.DisposeAsync());

            var all = latencies.SelectMany(l => l).Order().ToList();
            double Pct(double p) => all.Count == 0 ? double.NaN : all[Math.Clamp((int)Math.Ceiling(p * all.Count) - 1, 0, all.Count - 1)];
            var persisted = (rows1 - rows0) / 2.0 / elapsed;
            log($"  {store}×{nodeCount}: {rows1 - rows0} meter_values rows in {elapsed:F1} s, {errors} errors");
            return $"{store,-10} | {nodeCount,5} | {n,8} | {persisted,23:F0} | {acknowledged / elapsed,14:F0} | {Pct(0.5),6:F1} | {Pct(0.99),6:F1} | " +
                $"{100 * cpu / elapsed,11:F0} | {(postgres is null ? "-" : $"{100 * pg / elapsed:F0}"),16}";
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }

    /// <summary>What a node did besides answering its chargers, from its /metrics: optimizer runs, profiles sent, write-lock waits.</summary>
    private static async Task<string> WorkAsync(HostProcess node)
    {
        var text = await node.Http.GetStringAsync("metrics");
        double Sum(string prefix) => text.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        return $"{Sum("ampcms_optimizer_runs_total")} optimizer runs, {Sum("ampcms_delivery_profiles_total")} profiles sent, " +
            $"write lock waited {Sum("ampcms_storage_write_lock_wait_seconds_sum"):F2} s over {Sum("ampcms_storage_write_lock_wait_seconds_count")} writes";
    }

    private static async Task<long> MeterRowsAsync(HostProcess host, string? postgres)
    {
        if (postgres is not null)
        {
            await using var pg = new NpgsqlConnection(postgres);
            await pg.OpenAsync();
            // meter_values_all: the table and its journal (migration 041); a host from before it has the table only.
            await using var count = new NpgsqlCommand(
                "SELECT COUNT(*) FROM meter_values" + (await new NpgsqlCommand("SELECT to_regclass('meter_values_all') IS NOT NULL", pg).ExecuteScalarAsync() is true ? "_all" : ""), pg);
            return (long)(await count.ExecuteScalarAsync())!;
        }
        return await host.StoredMeterRowsAsync();
    }

    /// <summary>CPU of the test PostgreSQL's server processes (postmaster and its children), from /proc; 0 if unknown.</summary>
    private static double PostgresCpuSeconds()
    {
        if (Environment.GetEnvironmentVariable("AMPCMS_TEST_POSTGRES_DIR") is not { Length: > 0 } dir) return 0;
        var pidFile = Path.Combine(dir, "data", "postmaster.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadLines(pidFile).First(), out var postmaster)) return 0;
        double total = 0;
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(proc, "stat"));
                var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
                if (pid == postmaster || parent == postmaster) total += HostProcess.ProcessCpu(pid).TotalSeconds;
            }
            catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException) { /* gone meanwhile */ }
        }
        return total;
    }
}
