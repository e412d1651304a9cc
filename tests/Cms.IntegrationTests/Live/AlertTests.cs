using Cms.Core.Domain.Delivery;
using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Live;

/// <summary>Alerts raised by a strict OCPP 1.6 charger's traffic, as an operator sees them in /v2/alerts, /v2/events and the webhook.</summary>
public sealed class AlertTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TestHost Host => fixture.Host;
    private ApiClient Api => fixture.Host.Admin;

    private Task<ApiResponse> Alerts(string networkId, string extra = "") => Api.Get($"/v2/alerts?network={networkId}{extra}");

    private Task<JObject> AlertNamed(string networkId, string name, Func<JObject, bool>? also = null) =>
        OcppKit.EventuallyAsync(async () => (await Alerts(networkId, $"&name={name}")).Data.OfType<JObject>().FirstOrDefault(),
            a => a is not null && (also?.Invoke(a) ?? true), $"{name} alert")!;

    [NodeFact]
    public async Task A_Faulted_connector_raises_alerts_that_PATCH_acknowledges_and_that_resolve_when_it_is_Available_again()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        var (networkId, cpId, ocppId) = await OcppKit.ChargePointAsync(Api, "alert");
        Assert.Equal(200, (await Api.Patch($"/v2/networks/{networkId}", new { webhook = hook.Url, webhookSecret = "hook-secret" })).Status);
        await using var charger = await Host.ConnectAsync($"ocpp/{ocppId}");
        await charger.BootAsync();
        var connectorId = (string)(await Api.Get($"/v2/connectors?chargepoint={cpId}")).First["id"]!;

        var faultedAt = DateTimeOffset.UtcNow.AddSeconds(-3);
        await charger.CallAsync("StatusNotification", new { connectorId = 1, errorCode = "GroundFailure", status = "Faulted", timestamp = OcppKit.Ocpp(faultedAt) });

        var faulted = await AlertNamed(networkId, "FAULTED");
        Assert.Equal("Triggered", (string?)faulted["status"]);
        Assert.Equal(cpId, (string?)faulted["charger"]);
        Assert.Equal(connectorId, (string?)faulted["connector"]);
        Assert.Equal(networkId, (string?)faulted["networkId"]);
        Assert.Equal("High", (string?)faulted["urgency"]);
        Assert.Contains("Hardware", faulted["category"]!.Values<string>());
        Assert.Equal(faultedAt.ToUnixTimeMilliseconds(), OcppKit.Time(faulted["start"]).ToUnixTimeMilliseconds());
        Assert.Null((string?)faulted["end"]);
        // The error code is an alert of its own.
        var ground = await AlertNamed(networkId, "GROUND_FAILURE");
        Assert.Equal("Very High", (string?)ground["urgency"]);
        Assert.Equal("GroundFailure", (string?)ground["details"]!["errorCode"]);

        // Filters: by connector, category, urgency, status; a name filter overrides category and urgency.
        Assert.Equal(2, (await Alerts(networkId, $"&connector={connectorId}")).Total);
        Assert.Equal(1, (await Alerts(networkId, "&urgency=Very%20High")).Total);
        Assert.Equal(2, (await Alerts(networkId, "&category=Hardware&status=Triggered")).Total);
        Assert.Equal(1, (await Alerts(networkId, "&name=FAULTED&urgency=Low")).Total);
        Assert.Equal("GROUND_FAILURE", (string?)(await Alerts(networkId, "&sort=urgency:desc")).First["name"]);
        Assert.Equal(0, (await Alerts(networkId, $"&end={Uri.EscapeDataString(faultedAt.AddMinutes(-1).ToString("O"))}")).Total);

        // Every raise is an event on the network, and a signed POST to its webhook.
        var events = await Api.Get($"/v2/events?network={networkId}&alert={faulted.Id()}");
        Assert.Equal(1, events.Total);
        Assert.Equal("alert", (string?)events.First["sessionSource"]);
        Assert.Equal("Error", (string?)events.First["urgency"]);
        await hook.WaitForAsync(2);
        var posted = hook.Received.Select(r => (r, Body: JObject.Parse(r.Body))).First(x => (string?)x.Body["data"]![0]!["id"] == faulted.Id());
        Assert.Equal("alert", (string?)posted.Body["type"]);
        Assert.Equal(WebhookSignature.Sign("hook-secret", posted.r.Body), posted.r.Headers[WebhookSignature.Header].ToString());

        var patched = await Api.Patch($"/v2/alerts/{faulted.Id()}", new { status = "Acknowledged", notes = "technician booked" });
        Assert.Equal(200, patched.Status);
        Assert.Equal("Acknowledged", (string?)patched.First["status"]);
        Assert.Equal("technician booked", (string?)patched.First["notes"]);
        Assert.Equal("Acknowledged", (string?)(await Api.GetOne($"/v2/alerts/{faulted.Id()}"))["status"]);

        await charger.CallAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Available" });
        var resolved = await OcppKit.EventuallyAsync(() => Api.GetOne($"/v2/alerts/{faulted.Id()}"), a => (string?)a["end"] is not null, "FAULTED resolved");
        Assert.Equal("Resolved", (string?)resolved["status"]);
        Assert.Equal("technician booked", (string?)resolved["notes"]);
        await OcppKit.EventuallyAsync(() => Api.GetOne($"/v2/alerts/{ground.Id()}"), a => (string?)a["status"] == "Resolved", "GROUND_FAILURE resolved");
        Assert.Equal(2, (await Alerts(networkId, "&status=Resolved")).Total);
        charger.AssertNoComplaints();
    }

    [NodeFact]
    public async Task A_disconnect_raises_CHARGER_DISCONNECTED_with_the_networks_alertOptions_and_a_reconnect_resolves_it()
    {
        var (networkId, cpId, ocppId) = await OcppKit.ChargePointAsync(Api, "gone");
        var options = await Api.Post($"/v2/configurations/?network={networkId}", new
        {
            alertOptions = new
            {
                chargerDisconnected = new { enabled = true, urgency = "Very High", category = new[] { "Operations" } },
                faulted = new { enabled = false },
            },
        });
        Assert.True(options.Status is 200 or 201, options.ToString());

        var charger = await Host.ConnectAsync($"ocpp/{ocppId}");
        await charger.BootAsync();
        // FAULTED is disabled for this network; the error code's alert is not.
        await charger.CallAsync("StatusNotification", new { connectorId = 1, errorCode = "PowerMeterFailure", status = "Faulted" });
        await AlertNamed(networkId, "POWER_METER_FAILURE");
        Assert.Equal(0, (await Alerts(networkId, "&name=FAULTED")).Total);

        await charger.DisposeAsync();
        var alert = await AlertNamed(networkId, "CHARGER_DISCONNECTED");
        Assert.Equal(cpId, (string?)alert["charger"]);
        Assert.Null((string?)alert["connector"]);
        Assert.Equal("Very High", (string?)alert["urgency"]);
        Assert.Equal(["Operations"], alert["category"]!.Values<string>());
        Assert.Equal("Triggered", (string?)alert["status"]);

        await using var again = await Host.ConnectAsync($"ocpp/{ocppId}");
        var resolved = await OcppKit.EventuallyAsync(() => Api.GetOne($"/v2/alerts/{alert.Id()}"), a => (string?)a["end"] is not null, "resolved on reconnect");
        Assert.Equal("Resolved", (string?)resolved["status"]);
        Assert.True(OcppKit.Time(resolved["end"]) >= OcppKit.Time(resolved["start"]));
    }

    [NodeFact]
    public async Task A_CALLERROR_from_the_charger_raises_CALL_ERROR_and_a_later_accepted_call_resolves_it()
    {
        var (networkId, cpId, ocppId) = await OcppKit.ChargePointAsync(Api, "callerr");
        await using var charger = await Host.ConnectAsync($"ocpp/{ocppId}");
        await charger.BootAsync();
        var call = new JObject
        {
            ["chargePointId"] = cpId, ["sendToCharger"] = true,
            ["body"] = new JArray(2, Guid.NewGuid().ToString(), "ClearCache", new JObject()),
        };
        Assert.Equal(200, (await Api.Post("/v2/ocpp_messages/", call)).Status); // charger.js has no reply: NotImplemented
        var alert = await AlertNamed(networkId, "CALL_ERROR");
        Assert.Equal("ClearCache", (string?)alert["details"]!["action"]);
        Assert.Equal("NotImplemented", (string?)alert["details"]!["errorCode"]);

        await charger.HandleAsync("ClearCache", new { status = "Accepted" });
        call["body"]![1] = Guid.NewGuid().ToString();
        Assert.Equal(200, (await Api.Post("/v2/ocpp_messages/", call)).Status);
        await OcppKit.EventuallyAsync(() => Api.GetOne($"/v2/alerts/{alert.Id()}"), a => (string?)a["status"] == "Resolved", "CALL_ERROR resolved");
    }

    [NodeFact]
    public async Task Measured_power_above_the_limit_in_force_raises_METER_VALUE_LIMIT_VIOLATION_until_it_is_within_it()
    {
        var network = await Api.Network(maxCapacity: 11);
        var ocppId = OcppKit.NewOcppId("limit");
        var cp = await Api.Create("/v2/charge_points/", new { name = "limit", maxCapacity = 22, networkId = network.Id(), ocppId });
        await Api.Connector(cp.Id(), 1, maxCapacity: 22, currentType: "AC_phase3_LN", voltage: 230);
        await Api.Create("/v2/id_tags/", new { value = ocppId, group = "RFID" });
        await using var charger = await Host.ConnectAsync($"ocpp/{ocppId}");
        await charger.HandleAsync("SetChargingProfile", new { status = "Accepted" });
        await charger.BootAsync();
        var start = await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = ocppId, meterStart = 0, timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow) });
        var transactionId = (long)start["transactionId"]!;
        await charger.WaitForEventAsync("received", "SetChargingProfile"); // the plan (at most 11 kW) is in force

        async Task Measure(double watts) => await charger.CallAsync("MeterValues", new
        {
            connectorId = 1, transactionId,
            meterValue = new[] { new { timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow), sampledValue = new[] { new { value = watts.ToString(System.Globalization.CultureInfo.InvariantCulture), measurand = "Power.Active.Import", unit = "W" } } } },
        });
        await Measure(20_000);
        var alert = await AlertNamed(network.Id(), "METER_VALUE_LIMIT_VIOLATION");
        Assert.Equal(20.0, (double)alert["details"]!["measuredKw"]!);
        Assert.True((double)alert["details"]!["limitKw"]! <= 11.0);
        Assert.NotNull((string?)alert["chargingSessionId"]);

        await Measure(5_000);
        await OcppKit.EventuallyAsync(() => Api.GetOne($"/v2/alerts/{alert.Id()}"), a => (string?)a["status"] == "Resolved", "violation resolved");
    }

    [NodeFact]
    public async Task Alerts_are_read_only_but_for_status_and_notes_and_isolated_per_customer()
    {
        var network = await Api.Network();
        var missing = await Api.Get("/v2/alerts");
        Assert.Equal(400, missing.Status);
        Assert.Equal("is required", missing.FailFor("network"));
        Assert.NotNull((await Api.Get($"/v2/alerts?network={network.Id()}&urgency=Urgent")).FailFor("urgency"));
        Assert.NotNull((await Api.Get($"/v2/alerts?network={network.Id()}&sort=description:asc")).FailFor("sort"));
        Assert.NotNull((await Api.Get($"/v2/alerts?network={network.Id()}&colour=red")).FailFor("colour"));
        Assert.Equal(405, (await Api.Post("/v2/alerts", new { name = "FAULTED" })).Status);
        Assert.Equal(404, (await Api.Get($"/v2/alerts/{Guid.NewGuid()}")).Status);

        // A real alert: a charger that connects and goes away.
        var (networkId, _, ocppId) = await OcppKit.ChargePointAsync(Api, "iso");
        var charger = await Host.ConnectAsync($"ocpp/{ocppId}");
        await charger.DisposeAsync();
        var alert = await AlertNamed(networkId, "CHARGER_DISCONNECTED");

        var bad = await Api.Patch($"/v2/alerts/{alert.Id()}", new { status = "Pending", name = "FAULTED" });
        Assert.Equal(400, bad.Status);
        Assert.NotNull(bad.FailFor("status"));
        Assert.Equal("is read-only", bad.FailFor("name"));
        Assert.Equal("Triggered", (string?)(await Api.GetOne($"/v2/alerts/{alert.Id()}"))["status"]);

        using var reader = await Host.UserOfType("read_only");
        Assert.Equal(200, (await reader.Get($"/v2/alerts/{alert.Id()}")).Status);
        Assert.Equal(403, (await reader.Patch($"/v2/alerts/{alert.Id()}", new { status = "Acknowledged" })).Status);

        using var other = await SecondCustomer.CreateAsync(Host, "alerts-other");
        Assert.Equal(404, (await other.Get($"/v2/alerts/{alert.Id()}")).Status);
        Assert.Equal(404, (await other.Patch($"/v2/alerts/{alert.Id()}", new { status = "Resolved" })).Status);
        Assert.Equal(404, (await other.Get($"/v2/alerts?network={networkId}")).Status);
        Assert.Equal("Triggered", (string?)(await Api.GetOne($"/v2/alerts/{alert.Id()}"))["status"]);
    }
}
