using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Channels;

namespace Cms.Console.Tests;

/// <summary>
/// What a newcomer sees in the terminal: the host started as a process in an empty folder prints where the console and
/// the token are, keeps its data under that folder's data/, and logs at most one line per request at Information.
/// </summary>
public sealed class StartupTests
{
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_banner_points_at_the_console_and_the_token_and_a_request_logs_one_line()
    {
        var dir = Path.Combine(Path.GetTempPath(), "ampcms-startup", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Cms.Host.dll"), "--urls=http://127.0.0.1:0" }) info.ArgumentList.Add(arg);
        info.Environment.Remove("AMPCMS_BOOTSTRAP_TOKEN");
        using var host = Process.Start(info)!;
        var lines = Channel.CreateUnbounded<string>();
        _ = Task.Run(async () => { while (await host.StandardOutput.ReadLineAsync() is { } line) lines.Writer.TryWrite(line); lines.Writer.TryComplete(); });
        var seen = new StringBuilder();
        try
        {
            var banner = Regex.Match(await NextAsync(lines, seen, l => l.Contains("AmpCMS console:")),
                @"AmpCMS console: (?<url>http://\S+/) \(sign in with the admin API token in (?<token>\S+)\); data in (?<data>\S+);");
            Assert.True(banner.Success, seen.ToString());
            Assert.Equal(Path.Combine(dir, "data"), banner.Groups["data"].Value);
            Assert.Equal(Path.Combine(dir, "data", "bootstrap-token"), banner.Groups["token"].Value);
            Assert.True(File.Exists(Path.Combine(dir, "data", "ampcms.db")));

            using var http = new HttpClient { BaseAddress = new Uri(banner.Groups["url"].Value) };
            Assert.Contains("<title>AmpCMS console</title>", await http.GetStringAsync("/"));
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(banner.Groups["token"].Value)).Trim());
            var created = await http.PostAsync("/v2/networks/", new StringContent("""{"name": "logged", "maxCapacity": 30}""", Encoding.UTF8, "application/json"));
            Assert.Equal(201, (int)created.StatusCode);
            Assert.Equal(200, (int)(await http.GetAsync("/v2/networks/")).StatusCode);
            // A refused login logs a line of its own: once it is out, every line of the requests before it is too.
            await http.PostAsync("/v2/users/login", new StringContent("""{"name": "nobody", "password": "wrong"}""", Encoding.UTF8, "application/json"));
            await NextAsync(lines, seen, l => l.Contains("/v2/users/login"));

            var log = seen.ToString().Split('\n');
            Assert.Single(log, l => l.Contains("/v2/networks", StringComparison.Ordinal));
            Assert.Contains(log, l => l.Contains("HTTP POST /v2/networks answered 201", StringComparison.Ordinal));
            Assert.DoesNotContain(log, l => l.Contains("Request starting", StringComparison.Ordinal) || l.Contains("Executing endpoint", StringComparison.Ordinal));
        }
        finally
        {
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { /* SQLite may hold the WAL a moment */ }
        }
    }

    static async Task<string> NextAsync(Channel<string> lines, StringBuilder seen, Func<string, bool> match)
    {
        using var timeout = new CancellationTokenSource(Wait);
        try
        {
            while (true)
            {
                var line = await lines.Reader.ReadAsync(timeout.Token);
                seen.Append(line).Append('\n');
                if (match(line)) return line;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException("the host did not print it; its output: " + seen);
        }
    }
}
