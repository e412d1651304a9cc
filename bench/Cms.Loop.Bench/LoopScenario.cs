using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cms.Bench.Shared;

namespace Cms.Loop.Bench;

/// <summary>
/// One measured repetition, in ms from t0 (the StartTransaction frame about to leave the charger): the answer, the start
/// of the optimizer run that first includes the new session (its profiles' validFrom, on the same machine's clock), then
/// the first and last profile arrivals; and the host's CPU time (/proc) from t0 until the last arrival was seen, which
/// other processes on a shared machine disturb far less than the wall-clock figures.
/// </summary>
public sealed record Sample(double FirstMs, double LastMs, double AnswerMs, double RunStartMs, double HostCpuMs, bool Complete);

public sealed record ScenarioResult(int Connectors, bool Load, List<Sample> Samples, double SetupSeconds, long MeterValuesSent,
    long MeterValuesSkipped, long MeterValueErrors, double LoadSeconds);

/// <summary>
/// N simulated chargers on one network of N × 5 kW, one 22 kW DC connector each, against the real AmpCMS host on loopback.
/// N−1 charge; the last one stops and starts again R times, timing how long until every charging session got its new limit.
/// </summary>
public sealed class LoopScenario : IAsyncDisposable
{
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan MeasureTimeout = TimeSpan.FromSeconds(30);
    /// <summary>No new repetition starts after this long in one phase; the meter load outlasts it, so every sample is under load.</summary>
    public static readonly TimeSpan PhaseBudget = TimeSpan.FromSeconds(60);

    private readonly int _n;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly string _dir;
    private HostProcess? _host;
    private HttpClient? _http;
    private SimCharger[] _chargers = [];

    private LoopScenario(int n)
    {
        _n = n;
        _dir = Path.Combine(Path.GetTempPath(), "ampcms-loop-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    /// <param name="warmUp">Repetitions run first and discarded: until the JIT has optimised the hot paths (tiered
    /// compilation promotes a method after ~30 calls), the first runs measure the compiler, not a server in service.</param>
    public static async Task<List<ScenarioResult>> RunAsync(int n, int reps, int warmUp, Action<string> log)
    {
        await using var scenario = new LoopScenario(n);
        var setup = Stopwatch.StartNew();
        await scenario.SetUpAsync(log);
        var setupSeconds = setup.Elapsed.TotalSeconds;
        log($"  N={n}: set up in {setupSeconds:F1} s");
        if (warmUp > 0) await scenario.MeasureAsync(warmUp, load: false, setupSeconds, _ => { });
        var results = new List<ScenarioResult>();
        foreach (var load in new[] { false, true })
        {
            var result = await scenario.MeasureAsync(reps, load, setupSeconds, log);
            results.Add(result);
            log($"  N={n} load={load}: measured ({scenario._clock.Elapsed.TotalSeconds:F1} s since start)");
        }
        return results;
    }

    private async Task SetUpAsync(Action<string> log)
    {
        // The host runs in its own process (Release build): chargers and host never share a runtime, GC or thread pool.
        _host = await HostProcess.StartAsync(_dir);
        var address = _host.Address;
        _http = _host.Http;
        var networkId = await CreateAsync("/v2/networks/", new { name = $"bench-{_n}", maxCapacity = _n * 5.0 });
        var ids = Enumerable.Range(0, _n).Select(i => $"BENCH-{_n}-{i:D4}").ToArray();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (ocppId, _) =>
        {
            var cp = await CreateAsync("/v2/charge_points/", new { name = ocppId, maxCapacity = 22.0, networkId, ocppId });
            await CreateAsync("/v2/connectors/", new { chargePointId = cp, connectorId = 1, maxCapacity = 22.0, currentType = "DC", voltage = 400 });
        });

        var wsBase = new UriBuilder(address) { Scheme = "ws" }.Uri;
        _chargers = ids.Select(id => new SimCharger(id)).ToArray();
        await Parallel.ForEachAsync(_chargers, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (c, cancel) =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            await c.ConnectAsync(wsBase, timeout.Token);
            var boot = await c.BootAsync();
            if (boot.GetProperty("status").GetString() != "Accepted") throw new InvalidOperationException($"{c.OcppId}: boot {boot}");
        });

        // N−1 chargers start; wait until each has its first profile (for its own transaction), then for quiet.
        var charging = _chargers[..^1];
        await Parallel.ForEachAsync(charging, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (c, _) => await c.StartTransactionAsync());
        var settled = await WaitUntilAsync(() => charging.All(c => c.ProfilesSince(0).Any(p => p.TransactionId == c.TransactionId)), SettleTimeout);
        if (!settled) log($"  N={_n}: WARNING not every starting charger got a profile within {SettleTimeout.TotalSeconds:F0} s");
        await WaitQuietAsync(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));
    }

    private async Task<string> CreateAsync(string path, object body)
    {
        using var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await _http!.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path} → {(int)response.StatusCode} {text}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("data")[0].GetProperty("id").GetString()!;
    }

    private async Task<ScenarioResult> MeasureAsync(int reps, bool load, double setupSeconds, Action<string> log)
    {
        var samples = new List<Sample>();
        var charging = _chargers[..^1];
        var last = _chargers[^1];
        using var loadStop = new CancellationTokenSource();
        var meter = new MeterLoad(charging);
        var loadClock = Stopwatch.StartNew();
        var loadTask = load ? meter.RunAsync(loadStop.Token) : Task.CompletedTask;
        if (load) await Task.Delay(TimeSpan.FromSeconds(2)); // let the load reach its steady state
        try
        {
            var phase = Stopwatch.StartNew();
            for (var rep = 0; rep < reps; rep++)
            {
                if (phase.Elapsed > PhaseBudget)
                {
                    log($"  N={_n} load={load}: phase budget of {PhaseBudget.TotalSeconds:F0} s used up after {rep} repetitions");
                    break;
                }
                try { await RepeatOnceAsync(rep); }
                catch (Exception e) when (e is TimeoutException or IOException or InvalidOperationException or KeyNotFoundException)
                {
                    // The host did not answer a charger's CALL in time: it is saturated; the rest of the phase would say the same.
                    log($"  N={_n} load={load} rep {rep}: {e.GetType().Name} {e.Message}; phase ends (host saturated)");
                    samples.Add(new Sample(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, false));
                    break;
                }
            }
            async Task RepeatOnceAsync(int rep)
            {
                if (last.TransactionId is not null)
                {
                    // The others' raise after the stop must be out before t0, so the sample measures the start alone:
                    // a run started after the stop left (then, without load, quiet so any follow-up run is out too).
                    var stopping = DateTimeOffset.UtcNow.AddMilliseconds(-1);
                    var beforeStop = Stopwatch.GetTimestamp();
                    var stopWait = Stopwatch.StartNew();
                    await last.StopTransactionAsync();
                    if (!await WaitUntilAsync(() => charging.All(c => c.ProfilesSince(beforeStop).Any(p => p.ValidFrom >= stopping)), MeasureTimeout))
                        log($"  N={_n} load={load} rep {rep}: the stop's profiles did not all arrive within {MeasureTimeout.TotalSeconds:F0} s");
                    if (load && stopWait.Elapsed > TimeSpan.FromSeconds(2))
                        log($"  N={_n} load={load} rep {rep}: the stop's new limits took {stopWait.Elapsed.TotalSeconds:F1} s to reach every charger");
                }
                if (!load) await WaitQuietAsync(TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(5));
                else await Task.Delay(Random.Shared.Next(0, 300)); // a random phase against the meter-value slots
                foreach (var c in _chargers) c.ClearProfiles();

                long t0 = 0;
                var t0Wall = DateTimeOffset.MinValue;
                var cpu0 = _host!.CpuTime();
                var tx = await last.StartTransactionAsync(() => { t0Wall = DateTimeOffset.UtcNow; t0 = Stopwatch.GetTimestamp(); });
                var answered = Stopwatch.GetTimestamp();
                var done = new long[_chargers.Length];
                DateTimeOffset? firstRun = null;
                bool Complete()
                {
                    if (firstRun is null)
                    {
                        var mine = last.ProfilesSince(t0).Where(p => p.TransactionId == tx).Select(p => (ProfileSeen?)p).FirstOrDefault();
                        if (mine is not { } m) return false;
                        firstRun = m.ValidFrom;
                        done[^1] = m.ArrivedTicks;
                    }
                    var all = true;
                    for (var i = 0; i < charging.Length; i++)
                    {
                        if (done[i] != 0) continue;
                        if (Volatile.Read(ref charging[i].LastArrivalTicks) < t0) { all = false; continue; }
                        var hit = charging[i].ProfilesSince(t0).Where(p => p.ValidFrom >= firstRun).Select(p => (ProfileSeen?)p).FirstOrDefault();
                        if (hit is { } h) done[i] = h.ArrivedTicks;
                        else all = false;
                    }
                    return all;
                }
                var complete = await WaitUntilAsync(Complete, MeasureTimeout, pollMs: 2);
                var hostCpuMs = (_host.CpuTime() - cpu0).TotalMilliseconds;
                var arrivals = done.Where(d => d != 0).ToArray();
                double Ms(long ticks) => ticks == 0 ? double.NaN : Stopwatch.GetElapsedTime(t0, ticks).TotalMilliseconds;
                var lastTick = arrivals.Length > 0 ? arrivals.Max() : 0;
                samples.Add(new Sample(
                    arrivals.Length > 0 ? Ms(arrivals.Min()) : double.NaN, complete ? Ms(lastTick) : double.NaN, Ms(answered),
                    firstRun is { } fr ? (fr - t0Wall).TotalMilliseconds : double.NaN, hostCpuMs, complete));
                if (load && meter.Finished) log($"  N={_n} load={load} rep {rep}: WARNING the meter load had already ended");
                if (Environment.GetEnvironmentVariable("AMPCMS_BENCH_VERBOSE") == "1")
                    log($"    rep {rep}: t0 {t0Wall:HH:mm:ss.ffffff} run {firstRun:HH:mm:ss.fff} last +{samples[^1].LastMs:F1} first +{samples[^1].FirstMs:F1} answer +{samples[^1].AnswerMs:F1} host CPU {hostCpuMs:F0} ms");
                if (!complete) log($"  N={_n} load={load} rep {rep}: incomplete after {MeasureTimeout.TotalSeconds:F0} s ({arrivals.Length}/{_chargers.Length} chargers)");
            }
        }
        finally
        {
            await loadStop.CancelAsync();
            await loadTask;
        }
        return new ScenarioResult(_n, load, samples, setupSeconds, meter.Sent, meter.Skipped, meter.Errors, loadClock.Elapsed.TotalSeconds);
    }

    private static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout, int pollMs = 10)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (condition()) return true;
            await Task.Delay(pollMs);
        }
        return condition();
    }

    /// <summary>Waits until no charger has received a profile for <paramref name="quiet"/> (bounded by <paramref name="max"/>).</summary>
    private async Task WaitQuietAsync(TimeSpan quiet, TimeSpan max)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < max)
        {
            var newest = _chargers.Max(c => Volatile.Read(ref c.LastArrivalTicks));
            if (newest == 0 || Stopwatch.GetElapsedTime(newest) >= quiet) return;
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        var shutdown = Stopwatch.StartNew();
        await Parallel.ForEachAsync(_chargers, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (c, _) => await c.DisposeAsync());
        if (_host is not null) await _host.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { /* SQLite may still hold the WAL a moment */ }
        Console.WriteLine($"  N={_n}: shut down in {shutdown.Elapsed.TotalSeconds:F1} s");
    }
}

/// <summary>
/// Background MeterValues: each charging charger sends one every second, spread over 100 slots of 10 ms; a charger whose
/// previous MeterValues is still unanswered skips its turn (one outstanding CALL per charger, as OCPP-J wants).
/// </summary>
public sealed class MeterLoad(SimCharger[] chargers)
{
    private static readonly TimeSpan MaxDuration = LoopScenario.PhaseBudget + TimeSpan.FromSeconds(120);
    private readonly int[] _busy = new int[chargers.Length];
    public long Sent;
    public volatile bool Finished;
    public long Skipped;
    public long Errors;

    public async Task RunAsync(CancellationToken stop)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(stop);
        bounded.CancelAfter(MaxDuration);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        var inFlight = new List<Task>();
        var slot = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(bounded.Token))
            {
                for (var i = slot; i < chargers.Length; i += 100)
                {
                    if (chargers[i].TransactionId is not { } tx) continue;
                    if (Interlocked.Exchange(ref _busy[i], 1) == 1) { Interlocked.Increment(ref Skipped); continue; }
                    inFlight.Add(SendAsync(i, tx));
                }
                slot = (slot + 1) % 100;
                if (inFlight.Count > 4 * chargers.Length) inFlight.RemoveAll(t => t.IsCompleted);
            }
        }
        catch (OperationCanceledException) { /* stopped or bounded */ }
        Finished = true;
        await Task.WhenAll(inFlight).WaitAsync(TimeSpan.FromSeconds(35)).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task SendAsync(int i, long tx)
    {
        try
        {
            await chargers[i].MeterValuesAsync(tx);
            Interlocked.Increment(ref Sent);
        }
        catch (Exception) { Interlocked.Increment(ref Errors); }
        finally { Volatile.Write(ref _busy[i], 0); }
    }
}
