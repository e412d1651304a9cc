using Microsoft.Playwright;

namespace Cms.Console.Tests;

/// <summary>
/// Debian's Chromium driven by Playwright for .NET (its node driver ships inside the NuGet package; Playwright's own
/// browser download is not used). test.sh installs /usr/bin/chromium. Each launch gets a fresh temporary profile.
/// </summary>
public sealed class Browser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    readonly IPlaywright _playwright;
    readonly IBrowser _browser;

    Browser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static async Task<Browser> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: run test.sh, which installs Debian's chromium");
        // The page refreshes every few seconds and the machine may be busy: expectations wait up to 30 s.
        Assertions.SetDefaultExpectTimeout(30_000);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, Args = Flags });
        return new Browser(playwright, browser);
    }

    /// <summary>A new page at a laptop's size that records what the browser console and the page report as errors.</summary>
    public async Task<WatchedPage> OpenAsync(Uri baseAddress)
    {
        var context = await _browser.NewContextAsync(new() { BaseURL = baseAddress.ToString(), ViewportSize = new() { Width = 1366, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return new WatchedPage(context, page);
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}

/// <summary>A page and the errors it logged: console messages of type error and uncaught exceptions.</summary>
public sealed class WatchedPage : IAsyncDisposable
{
    readonly IBrowserContext _context;
    readonly List<string> _errors = [];

    public WatchedPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !IsAlertsProbe(message)) lock (_errors) _errors.Add($"console: {message.Text} at {message.Location}");
        };
        page.PageError += (_, error) => { lock (_errors) _errors.Add($"page error: {error}"); };
    }

    public IPage Page { get; }

    public IReadOnlyList<string> Errors { get { lock (_errors) return _errors.ToList(); } }

    /// <summary>
    /// The network page asks once whether GET /v2/alerts exists and shows alerts only when it answers; until the API has
    /// it, Chromium logs that probe's 404 as a console error. That one message, and no other, is expected.
    /// </summary>
    static bool IsAlertsProbe(IConsoleMessage message) =>
        message.Text.Contains("404", StringComparison.Ordinal) && message.Location.Contains("/v2/alerts", StringComparison.Ordinal);

    /// <summary>Screenshots go to the temp folder, or to AMPCMS_SCREENSHOTS (e.g. docs/) when set.</summary>
    public async Task ScreenshotAsync(string name)
    {
        var dir = Environment.GetEnvironmentVariable("AMPCMS_SCREENSHOTS") is { Length: > 0 } configured
            ? configured : Path.Combine(Path.GetTempPath(), "ampcms-console-screenshots");
        Directory.CreateDirectory(dir);
        await Page.ScreenshotAsync(new() { Path = Path.Combine(dir, name), FullPage = true });
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
