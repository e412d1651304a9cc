using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Cms.Core.Resources;
using Cms.Core.Storage;
using Cms.Host;
using Cms.Report.Bench;
using Dapper;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

// CSV report benchmark: how long a 100,000-row charging-session export takes, and whether chargers notice it.
// The real host on 127.0.0.1 with N simulated 1.6 chargers sending MeterValues (each a write-lock commit) every 200 ms:
// their round-trip times are measured for a quiet phase, then while the report is generated. `--smoke`: 5,000 rows.
// `--rows 100000 --chargers 20`. Prints figures; asserts nothing.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var smoke = args.Contains("--smoke");
int Arg(string name, int fallback) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1]) : fallback;
var rows = Arg("--rows", smoke ? 5_000 : 100_000);
var chargerCount = Arg("--chargers", 20);
const string Token = "report-bench-token-0123456789";

var dir = Path.Combine(Path.GetTempPath(), "ampcms-report-bench", Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(dir);
var app = await AmpCmsApp.BuildAsync(["--urls=http://127.0.0.1:0", $"--Storage:Path={Path.Combine(dir, "ampcms.db")}", $"--Bootstrap:Token={Token}",
    "--Serilog:MinimumLevel:Default=Warning"]);
await app.StartAsync();
try
{
    var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    async Task<JsonElement> Post(string path, object body)
    {
        var response = await http.PostAsJsonAsync(path, body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path}: {json}");
        return json.GetProperty("data")[0];
    }

    Console.WriteLine($"AmpCMS report benchmark: {Environment.ProcessorCount} logical CPU(s), .NET {Environment.Version}; {rows} sessions, {chargerCount} chargers");
    var networkId = (await Post("/v2/networks/", new { name = "report bench", maxCapacity = 1000.0 })).GetProperty("id").GetString()!;
    var ids = Enumerable.Range(0, chargerCount).Select(i => $"RB-{i:D3}").ToArray();
    string? firstCp = null, firstConnector = null;
    foreach (var ocppId in ids)
    {
        var cp = (await Post("/v2/charge_points/", new { name = ocppId, maxCapacity = 22.0, networkId, ocppId })).GetProperty("id").GetString()!;
        var connector = (await Post("/v2/connectors/", new { chargePointId = cp, connectorId = 1, maxCapacity = 22.0, currentType = "DC", voltage = 400 })).GetProperty("id").GetString()!;
        (firstCp, firstConnector) = (firstCp ?? cp, firstConnector ?? connector);
    }

    // History: closed sessions written straight into the store (what years of StopTransactions leave behind).
    var seed = Stopwatch.StartNew();
    var db = app.Services.GetRequiredService<Database>();
    var customerId = await db.ReadAsync(conn => conn.ExecuteScalarAsync<string>("SELECT customerId FROM networks WHERE id = @networkId", new { networkId }));
    var t0 = DateTimeOffset.UtcNow.AddDays(-400);
    for (var batch = 0; batch < rows; batch += 10_000)
    {
        var from = batch;
        await db.WriteAsync((conn, tx) => conn.ExecuteAsync(
            "INSERT INTO charging_sessions (id, customerId, created, updated, chargePointId, connectorId, connectorNumber, networkId, chargingRateUnit, " +
            "idTag, meterStart, meterStop, priority, transactionId, sessionStart, sessionEnd) VALUES (@id, @customerId, @at, @at, @cp, @connector, 1, " +
            "@networkId, 'kW', @idTag, 0, @kwh, 3, @tx, @at, @end)",
            Enumerable.Range(from, Math.Min(10_000, rows - from)).Select(i => new
            {
                id = Guid.NewGuid().ToString(), customerId, at = Iso.Format(t0.AddMinutes(i * 5)), end = Iso.Format(t0.AddMinutes(i * 5 + 4)),
                cp = firstCp, connector = firstConnector, networkId, idTag = $"TAG-{i % 500}", kwh = 5.0 + i % 40, tx = 1_000_000 + i,
            }), tx));
    }
    Console.WriteLine($"seeded {rows} sessions in {seed.Elapsed.TotalSeconds:F1} s");

    var wsBase = new UriBuilder(address) { Scheme = "ws" }.Uri;
    var chargers = new List<BenchCharger>();
    foreach (var id in ids)
    {
        var charger = new BenchCharger(id);
        await charger.ConnectAsync(wsBase);
        await charger.CallAsync("BootNotification", "{\"chargePointVendor\":\"Bench\",\"chargePointModel\":\"Sim\"}");
        var start = await charger.CallAsync("StartTransaction", $"{{\"connectorId\":1,\"idTag\":\"RB\",\"meterStart\":0,\"timestamp\":\"{BenchCharger.Now()}\"}}");
        charger.TransactionId = start.GetProperty("transactionId").GetInt64();
        chargers.Add(charger);
    }

    if (args.Contains("--probe"))
    {
        foreach (var (limit, sort) in new[] { (1, ""), (1000, ""), (1000, "&sort=id:asc"), (1000, "&sort=sessionStart:desc") })
        {
            var sw = Stopwatch.StartNew();
            var body = await http.GetStringAsync($"/v2/charging_sessions?network={networkId}&start={Uri.EscapeDataString(Iso.Format(t0.AddDays(-1)))}&end={Uri.EscapeDataString(Iso.Format(DateTimeOffset.UtcNow.AddDays(1)))}&limit={limit}{sort}");
            Console.WriteLine($"probe: list limit={limit}{sort} in {sw.Elapsed.TotalMilliseconds:F0} ms ({body.Length} chars)");
        }
    }
    var quiet = await BenchCharger.LoadAsync(chargers, () => Task.Delay(TimeSpan.FromSeconds(smoke ? 3 : 10)));
    var export = Stopwatch.StartNew();
    var window = new { network = networkId, start = Iso.Format(t0.AddDays(-1)), end = Iso.Format(DateTimeOffset.UtcNow.AddDays(1)) };
    var reportId = (await Post("/v2/reports", new { name = "bench", model = "charging_sessions", filters = window })).GetProperty("id").GetString()!;
    JsonElement report = default;
    var during = await BenchCharger.LoadAsync(chargers, async () =>
    {
        while (true)
        {
            report = (await http.GetFromJsonAsync<JsonElement>($"/v2/reports/{reportId}")).GetProperty("data")[0];
            if (report.GetProperty("status").GetString() is "completed" or "failed") return;
            await Task.Delay(50);
        }
    });
    var exportSeconds = export.Elapsed.TotalSeconds;
    var exported = report.GetProperty("rows").ValueKind == JsonValueKind.Number ? report.GetProperty("rows").GetInt64() : 0;

    Console.WriteLine();
    Console.WriteLine($"report: {report.GetProperty("status").GetString()}, {exported} rows (history {rows} + {chargerCount} open), " +
        $"{(report.GetProperty("size").ValueKind == JsonValueKind.Number ? report.GetProperty("size").GetInt64() / 1024.0 / 1024.0 : 0):F1} MB in {exportSeconds:F1} s " +
        $"({exported / Math.Max(exportSeconds, 0.001):F0} rows/s, polled every 50 ms)");
    Console.WriteLine("MeterValues round trip (charger → CALLRESULT), ms");
    Console.WriteLine("phase          | samples |   p50 |   p95 |   p99 |   max");
    foreach (var (name, sample) in new[] { ("quiet", quiet), ("during export", during) })
        Console.WriteLine($"{name,-14} | {sample.Count,7} | {Pct(sample, 0.50),5:F1} | {Pct(sample, 0.95),5:F1} | {Pct(sample, 0.99),5:F1} | {sample.DefaultIfEmpty(double.NaN).Max(),5:F1}");
    foreach (var charger in chargers) await charger.DisposeAsync();
}
finally
{
    await app.StopAsync();
    await app.DisposeAsync();
    try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
}
return;

static double Pct(List<double> values, double p)
{
    if (values.Count == 0) return double.NaN;
    var sorted = values.Order().ToList();
    return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
