using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cms.Bench.Shared;
using Cms.Storm.Bench;

// Reconnect storm: N unknown chargers connect with the customer secret and boot (created on first contact), idle
// (host RSS measured), then all drop at once and reconnect at once. Prints the times, RSS per idle connection, failures
// and duplicate charge points, then the SIGTERM drain time with every charger connected. The host runs as a process
// of its own; this process is the chargers.
// With several sizes it also prints the marginal RSS per connection between consecutive sizes (each size runs its own
// host, so the fixed cost of the connect burst cancels out). --hold S keeps the chargers idle S seconds after the RSS
// reading, with the host's pid printed, to attach dotnet-gcdump or dotnet-counters.
// Usage: dotnet run -c Release --project bench/Cms.Storm.Bench [-- --sizes 1000,5000 [--hold 60] | --smoke]
var smoke = args.Contains("--smoke");
var sizesArg = args.SkipWhile(a => a != "--sizes").Skip(1).FirstOrDefault();
var hold = int.Parse(args.SkipWhile(a => a != "--hold").Skip(1).FirstOrDefault() ?? "0", CultureInfo.InvariantCulture);
var idleRss = new List<(int N, long Rss, long Settled)>();
var sizes = smoke ? [50] : (sizesArg ?? "1000,5000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
var failed = false;

foreach (var n in sizes)
{
    await using var host = await HostProcess.StartAsync();
    using var api = new HttpClient { BaseAddress = host.Address, Timeout = TimeSpan.FromSeconds(60) };
    api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", HostProcess.Token);
    var network = await PostAsync(api, "/v2/networks", $$"""{"name":"storm","maxCapacity":100000}""");
    var networkId = network.GetProperty("data")[0].GetProperty("id").GetString();
    await PostAsync(api, "/v2/configurations/ocpp_settings", $$"""{"secret":"storm-secret-0123","feature":"cms","defaultNetworkId":"{{networkId}}"}""");
    var ws = new Uri($"ws://{host.Address.Authority}/");

    // Warm up (JIT, schemas, pools) with a charger of its own, so the baseline holds everything but the connections.
    var warm = new StormCharger("warm-up");
    await warm.ConnectAndBootAsync(ws, "storm-secret-0123", CancellationToken.None);
    warm.Drop();
    GC.Collect();
    await Task.Delay(1000);
    var rssBefore = host.RssBytes();

    var chargers = Enumerable.Range(0, n).Select(i => new StormCharger($"storm-{i:D5}")).ToArray();
    var (firstTime, firstFailures) = await AllAtOnceAsync(chargers, ws);
    await Task.Delay(3000); // let the connect burst's garbage go before reading RSS
    var rssIdle = host.RssBytes();
    var perConnection = (rssIdle - rssBefore) / (double)n;
    // Idle for longer: pools trimmed after the burst (Kestrel's block pool evicts idle blocks) show in this reading.
    await Task.Delay(TimeSpan.FromSeconds(27));
    var rssSettled = host.RssBytes();
    idleRss.Add((n, rssIdle, rssSettled));
    if (hold > 0)
    {
        Console.WriteLine($"holding {n} idle chargers for {hold} s; host pid {host.Pid}");
        await Task.Delay(TimeSpan.FromSeconds(hold));
    }

    foreach (var c in chargers) c.Drop();
    var (stormTime, stormFailures) = await AllAtOnceAsync(chargers, ws);

    var cps = await GetAsync(api, "/v2/charge_points?limit=1000");
    var total = cps.GetProperty("total").GetInt64();
    var duplicates = total - (n + 1);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"storm n={n}: first connect+boot {firstTime.TotalSeconds:F1} s ({firstFailures} failed); reconnect storm {stormTime.TotalSeconds:F1} s ({stormFailures} failed); " +
        $"charge points {total} (expected {n + 1}, duplicates {duplicates}); host RSS {rssBefore / 1048576.0:F0} MiB → {rssIdle / 1048576.0:F0} MiB idle, " +
        $"{perConnection / 1024:F1} KiB per idle connection; after 30 s idle {rssSettled / 1048576.0:F0} MiB, {(rssSettled - rssBefore) / (double)n / 1024:F1} KiB"));
    failed |= firstFailures > 0 || stormFailures > 0 || duplicates != 0;
    var drain = await host.TerminateAsync();
    var goingAway = chargers.Count(c => c.CloseStatus == System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"shutdown n={n}: SIGTERM to exit {drain.TotalSeconds:F2} s, {goingAway} of {n} chargers closed with 1001"));
    foreach (var c in chargers) c.Drop();
}
for (var i = 1; i < idleRss.Count; i++)
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"marginal RSS per idle connection n={idleRss[i - 1].N}→{idleRss[i].N}: {(idleRss[i].Rss - idleRss[i - 1].Rss) / (double)(idleRss[i].N - idleRss[i - 1].N) / 1024:F1} KiB " +
        $"(after 30 s idle {(idleRss[i].Settled - idleRss[i - 1].Settled) / (double)(idleRss[i].N - idleRss[i - 1].N) / 1024:F1} KiB)"));
return failed ? 1 : 0;

static async Task<(TimeSpan Time, int Failures)> AllAtOnceAsync(StormCharger[] chargers, Uri ws)
{
    // Bounded, but room for big sizes on a busy machine (the time is what the bench reports).
    using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(Math.Max(120, chargers.Length * 0.03)));
    var clock = Stopwatch.StartNew();
    var results = await Task.WhenAll(chargers.Select(c => Task.Run(() => c.ConnectAndBootAsync(ws, "storm-secret-0123", limit.Token))));
    return (clock.Elapsed, results.Count(ok => !ok));
}

static async Task<JsonElement> PostAsync(HttpClient api, string path, string body)
{
    using var response = await api.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
    var text = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
    return JsonDocument.Parse(text).RootElement.Clone();
}

static async Task<JsonElement> GetAsync(HttpClient api, string path) =>
    JsonDocument.Parse(await api.GetStringAsync(path)).RootElement.Clone();
