using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Cms.Bench.Shared;

namespace Cms.Ocpp.Bench;

/// <summary>
/// `--proxy`: the round-trip latency the proxy relay adds (issue 11). N lean 1.6 chargers send Heartbeats at a fixed rate
/// to a minimal upstream CMS (<see cref="FakeUpstream"/>), first directly, then through the real host in proxy mode
/// (charger → AmpCMS → upstream → AmpCMS → charger, with the domain observing each answer). Prints p50/p99 of both.
/// </summary>
public static class ProxyLatency
{
    const string Secret = "bench-proxy-secret";

    public static async Task RunAsync(int n, TimeSpan window, double rate, Action<string> log)
    {
        await using var upstream = new FakeUpstream();
        await using var host = await HostProcess.StartAsync();
        var settings = $"{{\"secret\":\"{Secret}\",\"feature\":\"proxy\",\"targetCmsUrl\":\"{upstream.WebSocketBase}upstream\"}}";
        using (var response = await host.Http.PostAsync("/v2/configurations/ocpp_settings", new StringContent(settings, Encoding.UTF8, "application/json")))
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException("ocpp_settings: " + await response.Content.ReadAsStringAsync());
        var ids = await host.CreateChargersAsync($"PROXY{n}", n);

        var direct = await MeasureAsync(ids, upstream.WebSocketBase, window, rate);
        var proxied = await MeasureAsync(ids, host.WebSocketBase, window, rate);
        log($"  N={n}: direct {direct.Count} round trips, proxied {proxied.Count}");
        Console.WriteLine();
        Console.WriteLine($"chargers | Heartbeat/s per charger | direct p50 ms | direct p99 ms | proxied p50 ms | proxied p99 ms | added p50 ms | added p99 ms");
        Console.WriteLine($"{n,8} | {rate,22:F1} | {Pct(direct, 0.5),13:F2} | {Pct(direct, 0.99),13:F2} | {Pct(proxied, 0.5),14:F2} | {Pct(proxied, 0.99),14:F2} | " +
            $"{Pct(proxied, 0.5) - Pct(direct, 0.5),12:F2} | {Pct(proxied, 0.99) - Pct(direct, 0.99),12:F2}");
    }

    static double Pct(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>Connects and boots every charger against the base, then times Heartbeats for the window; returns sorted ms.</summary>
    static async Task<List<double>> MeasureAsync(string[] ids, Uri wsBase, TimeSpan window, double rate)
    {
        var chargers = ids.Select(id =>
        {
            var c = new LoadCharger(id);
            c.Options.SetRequestHeader("Authorization", new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{Secret}"))).ToString());
            return c;
        }).ToArray();
        await Parallel.ForEachAsync(chargers, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (c, cancel) =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            await c.ConnectAsync(wsBase, timeout.Token);
            await c.BootAsync();
        });
        var warmUp = TimeSpan.FromSeconds(1);
        var clock = Stopwatch.StartNew();
        var samples = await Task.WhenAll(chargers.Select((c, i) => Task.Run(async () =>
        {
            var mine = new List<double>();
            var next = TimeSpan.FromSeconds(new Random(i).NextDouble() / rate);
            while (clock.Elapsed < warmUp + window)
            {
                var wait = next - clock.Elapsed;
                if (wait > TimeSpan.Zero) await Task.Delay(wait);
                next += TimeSpan.FromSeconds(1 / rate);
                var t0 = Stopwatch.GetTimestamp();
                await c.HeartbeatAsync();
                if (clock.Elapsed > warmUp) mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
            return mine;
        })));
        await Parallel.ForEachAsync(chargers, async (c, _) => await c.DisposeAsync());
        return samples.SelectMany(s => s).Order().ToList();
    }
}
