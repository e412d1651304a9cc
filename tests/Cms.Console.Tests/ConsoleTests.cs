using System.Text.RegularExpressions;
using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;
using Cms.Ocpp.Tests.Support;
using Microsoft.Playwright;
using Newtonsoft.Json.Linq;
using static Microsoft.Playwright.Assertions;

namespace Cms.Console.Tests;

/// <summary>
/// The operator console in Debian's Chromium against the real host, with a strict ocpp-rpc charger charging:
/// what an operator signs in to, sees and clicks.
/// </summary>
public sealed class ConsoleTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    [NodeFact]
    public async Task An_operator_sees_a_charging_charger_under_the_grid_limit_live_and_asks_it_for_its_configuration()
    {
        var host = fixture.Host;
        var network = await host.Admin.Network(maxCapacity: 30, name: "Depot");
        var ocppId = OcppKit.NewOcppId("console");
        await host.Admin.Create("/v2/charge_points/",
            new { name = "Bay 1", maxCapacity = 22, networkId = network.Id(), ocppId, allowAllIdTags = true });
        // A capacity change and a DR event ahead: the chart draws the grid limit as it will be.
        var now = DateTimeOffset.UtcNow;
        await host.Admin.Create("/v2/capacities/", new { networkId = network.Id(),
            maxCapacityIntervals = new[] { new { maxCapacity = 36, start = OcppKit.Ocpp(now.AddHours(2)), end = OcppKit.Ocpp(now.AddHours(3)) } } });
        await host.Admin.Create("/v2/dr_events/", new { networkId = network.Id(),
            drEvents = new[] { new { start = OcppKit.Ocpp(now.AddHours(4)), end = OcppKit.Ocpp(now.AddHours(5)), value = 8, type = "Load Amount" } } });

        await using var charger = await host.ConnectAsync($"ocpp/{ocppId}");
        await charger.HandleAsync("SetChargingProfile", new { status = "Accepted" });
        await charger.HandleAsync("GetConfiguration", new { configurationKey = new[] { new { key = "HeartbeatInterval", @readonly = false, value = "300" } } });
        await charger.BootAsync();
        var started = await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "FLEET-7", meterStart = 0, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) });
        var transactionId = (int)started["transactionId"]!;
        await charger.CallAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Charging" });
        await SendPowerAsync(charger, transactionId, watts: 11_000, energyWh: 2_400);

        await using var watched = await fixture.Browser.OpenAsync(host.BaseAddress);
        var page = watched.Page;

        // Sign in with the API token.
        await page.GotoAsync("/");
        await Expect(page.GetByLabel("Password or API token")).ToBeVisibleAsync();
        await watched.ScreenshotAsync("console-sign-in.png");
        await page.GetByLabel("Password or API token").FillAsync(TestHost.AdminToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        // Networks overview: capacity, measured load, one charger online.
        var row = page.Locator("#networks tr", new() { HasText = "Depot" });
        await Expect(row).ToContainTextAsync("30 kW");
        await Expect(row).ToContainTextAsync("11 kW");
        await Expect(row).ToContainTextAsync("1 online");
        await watched.ScreenshotAsync("console-networks.png");

        // Network page: the chart with capacity and measured load as text, the charger charging.
        await row.GetByRole(AriaRole.Link, new() { Name = "Depot" }).ClickAsync();
        await Expect(page.Locator(".tile.capacity .value")).ToHaveTextAsync("30 kW");
        await Expect(page.Locator(".tile.measured .value")).ToHaveTextAsync("11 kW");
        await Expect(page.Locator(".tile.planned .value")).ToHaveTextAsync(new Regex(@"^\d+(\.\d)? kW$"));
        await Expect(page.Locator($"[data-connector-status='{ocppId}-1']")).ToHaveTextAsync("Charging");
        await Expect(page.Locator("#sessions")).ToContainTextAsync("FLEET-7");
        var pixels = await EventuallyAsync(() => ChartPixels.ReadAsync(page), p => p is { Capacity: > 300, Measured: > 10, Planned: > 50, DrEvent: > 30 }, "the chart's lines");
        Assert.NotNull(pixels);

        // Live: the charger draws less, and the page follows without a reload.
        await SendPowerAsync(charger, transactionId, watts: 7_000, energyWh: 2_600);
        await Expect(page.Locator(".tile.measured .value")).ToHaveTextAsync("7 kW");
        await SendPowerAsync(charger, transactionId, watts: 11_000, energyWh: 2_800);
        await Expect(page.Locator(".tile.measured .value")).ToHaveTextAsync("11 kW");
        await Expect(page.Locator("#events")).ToContainTextAsync("load_sharing");
        await watched.ScreenshotAsync("console-network.png");

        // Charger page: GetConfiguration sent through the REST API, the charger's answer shown.
        await page.GetByRole(AriaRole.Link, new() { Name = "Bay 1" }).ClickAsync();
        await Expect(page.Locator($"[data-connector-status='{ocppId}-1']")).ToHaveTextAsync("Charging");
        await page.GetByLabel("Keys (comma-separated, empty for all)").FillAsync("HeartbeatInterval");
        await page.GetByRole(AriaRole.Button, new() { Name = "Get configuration" }).ClickAsync();
        var answer = page.Locator("[data-answer='GetConfiguration']");
        await Expect(answer).ToContainTextAsync("Answered");
        await Expect(answer).ToContainTextAsync("\"key\": \"HeartbeatInterval\"");
        await Expect(answer).ToContainTextAsync("\"value\": \"300\"");
        var received = await charger.WaitForEventAsync("received", "GetConfiguration");
        Assert.Equal(new JArray("HeartbeatInterval"), received["payload"]!["key"]);
        await Expect(page.Locator("#messages")).ToContainTextAsync("GetConfiguration");
        await watched.ScreenshotAsync("console-charger.png");

        charger.AssertNoComplaints();
        Assert.Empty(watched.Errors);
    }

    [NodeFact]
    public async Task Reset_unlock_and_remote_start_and_stop_show_what_the_charger_answered_refusals_included()
    {
        var host = fixture.Host;
        var network = await host.Admin.Network(maxCapacity: 40, name: "Yard");
        var ocppId = OcppKit.NewOcppId("buttons");
        var chargePoint = await host.Admin.Create("/v2/charge_points/",
            new { name = "Yard 1", maxCapacity = 22, networkId = network.Id(), ocppId, allowAllIdTags = true });
        await using var charger = await host.ConnectAsync($"ocpp/{ocppId}");
        await charger.HandleAsync("SetChargingProfile", new { status = "Accepted" });
        await charger.HandleAsync("Reset", new { status = "Accepted" });
        await charger.SendAsync(new { handle = "UnlockConnector", error = new { code = "NotSupported", message = "no lock on this one" } });
        await charger.WaitForEventAsync("handling", "UnlockConnector");
        await charger.HandleAsync("RemoteStartTransaction", new { status = "Accepted" });
        await charger.HandleAsync("RemoteStopTransaction", new { status = "Rejected" });
        await charger.BootAsync();
        var started = await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = "YARD-1", meterStart = 0, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) });

        await using var watched = await fixture.Browser.OpenAsync(host.BaseAddress);
        var page = watched.Page;
        await page.GotoAsync("/");
        await page.GetByLabel("Password or API token").FillAsync(TestHost.AdminToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Networks" })).ToBeVisibleAsync();
        await page.GotoAsync($"/#/chargers/{chargePoint.Id()}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Yard 1" })).ToBeVisibleAsync();

        await page.GetByLabel("Type").SelectOptionAsync("Hard");
        await page.GetByRole(AriaRole.Button, new() { Name = "Reset", Exact = true }).ClickAsync();
        await Expect(page.Locator("[data-answer='Reset']")).ToContainTextAsync("\"status\": \"Accepted\"");
        Assert.Equal("Hard", (string?)(await charger.WaitForEventAsync("received", "Reset"))["payload"]!["type"]);

        await page.GetByRole(AriaRole.Button, new() { Name = "Unlock" }).ClickAsync();
        await Expect(page.Locator("[data-answer='UnlockConnector']")).ToContainTextAsync("CallError NotSupported");

        await page.Locator("#start-idtag").FillAsync("FLEET-9");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start" }).ClickAsync();
        await Expect(page.Locator("[data-answer='RemoteStartTransaction']")).ToContainTextAsync("Accepted");
        Assert.Equal("FLEET-9", (string?)(await charger.WaitForEventAsync("received", "RemoteStartTransaction"))["payload"]!["idTag"]);

        // The open session's transaction id is offered for Remote stop.
        await Expect(page.Locator("#stop-transaction")).ToHaveValueAsync(((int)started["transactionId"]!).ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Stop" }).ClickAsync();
        await Expect(page.Locator("[data-answer='RemoteStopTransaction']")).ToContainTextAsync("Rejected");
        Assert.Equal((int)started["transactionId"]!, (int)(await charger.WaitForEventAsync("received", "RemoteStopTransaction"))["payload"]!["transactionId"]!);

        charger.AssertNoComplaints();
        Assert.Empty(watched.Errors);
    }

    [Fact]
    public async Task An_operator_signs_in_with_name_and_password_and_a_wrong_password_is_refused_on_the_page()
    {
        var host = fixture.Host;
        var name = $"operator-{Guid.NewGuid():N}"[..20];
        await host.Admin.Create("/v2/users/", new { name, password = "correct-horse-1", firstName = "Op", lastName = "Erator", type = "admin" });
        await using var watched = await fixture.Browser.OpenAsync(host.BaseAddress);
        var page = watched.Page;
        await page.GotoAsync("/");

        await page.GetByLabel("User name").FillAsync(name);
        await page.GetByLabel("Password or API token").FillAsync("wrong-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Sign-in refused");

        await page.GetByLabel("Password or API token").FillAsync("correct-horse-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Networks" })).ToBeVisibleAsync();
        // The token is kept for this browser tab only.
        Assert.NotNull(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('ampcms.token')"));
        Assert.Null(await page.EvaluateAsync<string?>("() => localStorage.getItem('ampcms.token')"));
    }

    static Task SendPowerAsync(NodeCharger charger, int transactionId, int watts, int energyWh) =>
        charger.CallAsync("MeterValues", new
        {
            connectorId = 1, transactionId,
            meterValue = new[]
            {
                new
                {
                    timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow),
                    sampledValue = new[]
                    {
                        new { value = watts.ToString(), measurand = "Power.Active.Import", unit = "W" },
                        new { value = energyWh.ToString(), measurand = "Energy.Active.Import.Register", unit = "Wh" },
                        new { value = "54", measurand = "SoC", unit = "Percent" },
                    },
                },
            },
        });

    static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what) =>
        await OcppKit.EventuallyAsync(read, done, what, TimeSpan.FromSeconds(30));
}
