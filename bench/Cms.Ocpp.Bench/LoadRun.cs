using System.Diagnostics;
using Cms.Bench.Shared;

namespace Cms.Ocpp.Bench;

/// <summary>One size: a fresh host and store, N chargers charging, a warm-up, then the measured window.</summary>
public static class LoadRun
{
    /// <summary>The warm-up (default 2 s) also lets the JIT finish tiering the hot path: a longer one (`--warmup 20`)
    /// measures the steady state a long-running host is in, a short one includes the JIT's share.</summary>
    public static async Task<string> RunAsync(int n, TimeSpan window, double rate, Action<string> log, TimeSpan? warmUp = null)
    {
        await using var host = await HostProcess.StartAsync();
        var setup = Stopwatch.StartNew();
        var ids = await host.CreateChargersAsync($"LOAD{n}", n);
        var chargers = ids.Select(id => new LoadCharger(id)).ToArray();
        await Parallel.ForEachAsync(chargers, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (c, cancel) =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            await c.ConnectAsync(host.WebSocketBase, timeout.Token);
            await c.BootAsync();
            await c.StatusAsync("Preparing");
            await c.StartTransactionAsync();
            await c.StatusAsync("Charging");
        });
        log($"  N={n}: {n} chargers connected and charging in {setup.Elapsed.TotalSeconds:F1} s");

        // Per charger, the latencies of its MeterValues, StatusNotification and Heartbeat calls (kinds 0, 1, 2).
        var latencies = new List<(int Kind, double Ms)>[n];
        var measuring = 0;
        var stop = false;
        long acknowledgedMeterValues = 0, messages = 0, meterValues = 0, errors = 0;
        var clock = Stopwatch.StartNew();
        var loops = chargers.Select((c, i) => Task.Run(async () =>
        {
            var random = new Random(i);
            var mine = latencies[i] = new List<(int, double)>(4096);
            var next = clock.Elapsed + (rate > 0 ? TimeSpan.FromSeconds(random.NextDouble() / rate) : TimeSpan.Zero);
            while (!Volatile.Read(ref stop))
            {
                if (rate > 0)
                {
                    var wait = next - clock.Elapsed;
                    if (wait > TimeSpan.Zero) await Task.Delay(wait);
                    next += TimeSpan.FromSeconds(1 / rate);
                }
                var pick = random.Next(100);
                var counted = Volatile.Read(ref measuring) == 1;
                var t0 = Stopwatch.GetTimestamp();
                try
                {
                    if (pick < 90) { await c.MeterValuesAsync(); Interlocked.Increment(ref acknowledgedMeterValues); }
                    else if (pick < 95) await c.StatusAsync("Charging");
                    else await c.HeartbeatAsync();
                }
                catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException)
                {
                    Interlocked.Increment(ref errors);
                    if (Interlocked.Read(ref errors) <= 3) log($"  N={n}: {e.Message}");
                    continue;
                }
                if (counted && Volatile.Read(ref measuring) == 1)
                {
                    // Counted when sent and answered inside the window, MeterValues and all messages alike.
                    mine.Add((pick < 90 ? 0 : pick < 95 ? 1 : 2, Stopwatch.GetElapsedTime(t0).TotalMilliseconds));
                    Interlocked.Increment(ref messages);
                    if (pick < 90) Interlocked.Increment(ref meterValues);
                }
            }
        })).ToArray();

        await Task.Delay(warmUp ?? TimeSpan.FromSeconds(2));
        var cpu0 = host.CpuTime();
        var wall = Stopwatch.StartNew();
        Volatile.Write(ref measuring, 1);
        var trace = Profiler.Start(host.Pid, window, $"load-{n}");
        await Task.Delay(window);
        if (trace is not null) await trace;
        Volatile.Write(ref measuring, 0);
        var elapsed = wall.Elapsed.TotalSeconds;
        var cpu = host.CpuTime() - cpu0;
        Volatile.Write(ref stop, true);
        await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(90));

        // Acknowledged means durable: kill the host without any shutdown, start it again on the same store (its start
        // commits what the killed one acknowledged from its ack log), then look in the store.
        host.Kill();
        await using (await HostProcess.StartAsync(host.Directory)) { }
        var rowsFound = await host.StoredMeterRowsAsync();
        await Parallel.ForEachAsync(chargers, async (c, _) => await c.DisposeAsync());

        var all = latencies.SelectMany(l => l).Select(x => x.Ms).Order().ToList();
        double Pct(double p) => Percentile(all, p);
        // Which kind makes the tail: MeterValues are answered from the ack log, the others wait for their commit.
        var byKind = new[] { "MeterValues", "StatusNotification", "Heartbeat" }.Select((name, kind) =>
            $"{name} {Percentile(latencies.SelectMany(l => l).Where(x => x.Kind == kind).Select(x => x.Ms).Order().ToList(), 0.99):F1}");
        var perMessageUs = messages == 0 ? double.NaN : cpu.TotalMicroseconds / messages;
        var found = rowsFound / LoadCharger.Samples; // sampled values per reading
        log($"  N={n}: {messages} messages in {elapsed:F1} s, {errors} errors; host CPU {cpu.TotalSeconds:F2} s; p99 ms by kind: {string.Join(", ", byKind)}");
        return $"{n,8} | {messages / elapsed,6:F0} | {meterValues / elapsed,13:F0} | {Pct(0.5),6:F1} | {Pct(0.99),6:F1} | {perMessageUs,15:F0} | " +
            $"{100 * cpu.TotalSeconds / elapsed,10:F0} | {found}/{acknowledgedMeterValues}";
    }

    /// <summary>Nearest-rank percentile of sorted values (NaN for none).</summary>
    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
