using System.Net;
using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Billing;

/// <summary>A strict 1.6 charger charges 3 kWh: the CDR bills it at the network's tariff and tax, and a CSV report holds the session.</summary>
public sealed class CdrAndReportTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TestHost Host => fixture.Host;
    private ApiClient Api => fixture.Host.Admin;

    [NodeFact]
    public async Task A_charged_session_gets_a_priced_cdr_and_shows_up_in_a_csv_report()
    {
        var (networkId, cpId, ocppId) = await OcppKit.ChargePointAsync(Api, "bill");
        Assert.Equal(200, (await Api.Patch($"/v2/networks/{networkId}", new { defaultTariff = 0.30, defaultTax = 0.19, currency = "EUR", country = "DE" })).Status);
        var connector = await Api.Connector(cpId, connectorId: 1, maxCapacity: 22, currentType: "AC_phase3_LN", voltage: 230);
        var tag = "BILL-" + Guid.NewGuid().ToString("N")[..6];
        await Api.Create("/v2/id_tags/", new { value = tag, group = "RFID" });

        await using var charger = await Host.ConnectAsync($"ocpp/{ocppId}");
        await charger.BootAsync();
        var startAt = DateTimeOffset.UtcNow.AddMinutes(-30);
        var start = await charger.CallAsync("StartTransaction", new { connectorId = 1, idTag = tag, meterStart = 1000, timestamp = OcppKit.Ocpp(startAt) });
        var transactionId = (long)start["transactionId"]!;
        var midAt = startAt.AddMinutes(15);
        await charger.CallAsync("MeterValues", new
        {
            connectorId = 1, transactionId,
            meterValue = new[] { new { timestamp = OcppKit.Ocpp(midAt), sampledValue = new[] { new { value = "2500", measurand = "Energy.Active.Import.Register", unit = "Wh" } } } },
        });
        Assert.Equal(0, (await Api.Get($"/v2/cdrs?network={networkId}")).Total); // no CDR while the session is open
        var stopAt = startAt.AddMinutes(30);
        await charger.CallAsync("StopTransaction", new { transactionId, idTag = tag, meterStop = 4000, timestamp = OcppKit.Ocpp(stopAt), reason = "Local" });
        charger.AssertNoComplaints();

        var list = await Api.Get($"/v2/cdrs?network={networkId}");
        Assert.Equal(200, list.Status);
        Assert.Equal(1, list.Total);
        var cdr = list.First;
        var session = (await Api.Get($"/v2/charging_sessions?network={networkId}&start={Q(startAt.AddHours(-1))}&end={Q(stopAt.AddHours(1))}")).First;
        Assert.Equal(session.Id(), (string?)cdr["chargingSessionId"]);
        Assert.Equal(cpId, (string?)cdr["chargePointId"]);
        Assert.Equal(connector.Id(), (string?)cdr["connectorId"]);
        Assert.Equal(transactionId, (long)cdr["transactionId"]!);
        Assert.Equal(3.0, (double)cdr["totalEnergy"]!, 6);
        Assert.Equal(0.9, (double)cdr["totalCost"]!, 6);        // 3 kWh × 0.30
        Assert.Equal(1.071, (double)cdr["totalCostInclVat"]!, 6); // + 19 % VAT
        Assert.Equal("EUR", (string?)cdr["currency"]);

        var ocpi = (JObject)((JArray)cdr["cdrData"]!).Single();
        Assert.Equal(cdr.Id(), (string?)ocpi["id"]);
        Assert.Equal("DE", (string?)ocpi["country_code"]);
        Assert.Equal(session.Id(), (string?)ocpi["session_id"]);
        Assert.Equal(OcppKit.Ocpp(startAt)[..19] + "Z", (string?)ocpi["start_date_time"]);
        Assert.Equal(OcppKit.Ocpp(stopAt)[..19] + "Z", (string?)ocpi["end_date_time"]);
        Assert.Equal(tag, (string?)ocpi["cdr_token"]!["uid"]);
        Assert.Equal("EUR", (string?)ocpi["currency"]);
        Assert.Equal(3.0, (double)ocpi["total_energy"]!, 6);
        Assert.Equal(0.5, (double)ocpi["total_time"]!, 6);
        Assert.Equal(0.9, (double)ocpi["total_cost"]!["excl_vat"]!, 6);
        Assert.Equal(1.071, (double)ocpi["total_cost"]!["incl_vat"]!, 6);
        Assert.Equal(0.9, (double)ocpi["total_energy_cost"]!["excl_vat"]!, 6);
        Assert.Equal(1.071, (double)ocpi["total_energy_cost"]!["incl_vat"]!, 6);
        Assert.Equal(0.0, (double)ocpi["total_time_cost"]!["excl_vat"]!);
        Assert.Equal(0.0, (double)ocpi["total_time_cost"]!["incl_vat"]!);
        Assert.Equal(ocppId, (string?)ocpi["cdr_location"]!["evse_id"]);
        Assert.Equal("1", (string?)ocpi["cdr_location"]!["connector_id"]);
        Assert.Equal("AC_3_PHASE", (string?)ocpi["cdr_location"]!["connector_power_type"]);
        // Two periods, split at the 2.5 kWh reading: 1.5 kWh in each quarter hour.
        var periods = ((JArray)ocpi["charging_periods"]!).Cast<JObject>().ToList();
        Assert.Equal(2, periods.Count);
        Assert.Equal(OcppKit.Ocpp(midAt)[..19] + "Z", (string?)periods[1]["start_date_time"]);
        Assert.All(periods, p => Assert.Equal(1.5, (double)p["dimensions"]!.Single(d => (string?)d["type"] == "ENERGY")["volume"]!, 6));
        Assert.All(periods, p => Assert.Equal(0.25, (double)p["dimensions"]!.Single(d => (string?)d["type"] == "TIME")["volume"]!, 6));
        var tariff = (JObject)((JArray)ocpi["tariffs"]!).Single();
        Assert.Equal((string?)tariff["id"], (string?)periods[0]["tariff_id"]);
        Assert.Equal(0.3, (double)tariff["elements"]![0]!["price_components"]![0]!["price"]!, 6);
        Assert.Equal(19.0, (double)tariff["elements"]![0]!["price_components"]![0]!["vat"]!, 6);

        // Every filter narrows, export answers the OCPI objects themselves.
        Assert.Equal(1, (await Api.Get($"/v2/cdrs?chargepoint={cpId}")).Total);
        Assert.Equal(1, (await Api.Get($"/v2/cdrs?connector={connector.Id()}")).Total);
        Assert.Equal(0, (await Api.Get($"/v2/cdrs?connector={Guid.NewGuid()}")).Total);
        Assert.Equal(1, (await Api.Get($"/v2/cdrs?cdr={cdr.Id()}")).Total);
        Assert.Equal(0, (await Api.Get($"/v2/cdrs?cdr=nope&network={networkId}")).Total);
        Assert.Equal(1, (await Api.Get($"/v2/cdrs?network={networkId}&start={Q(stopAt.AddMinutes(-1))}")).Total);
        Assert.Equal(0, (await Api.Get($"/v2/cdrs?network={networkId}&start={Q(stopAt.AddMinutes(1))}")).Total);
        Assert.Equal(1, (await Api.Get($"/v2/cdrs?network={networkId}&end={Q(startAt.AddMinutes(1))}")).Total);
        Assert.Equal(0, (await Api.Get($"/v2/cdrs?network={networkId}&end={Q(startAt.AddMinutes(-1))}")).Total);
        var exported = await Api.Get($"/v2/cdrs?network={networkId}&export=true");
        Assert.Equal(cdr.Id(), (string?)exported.First["id"]);
        Assert.Equal(3.0, (double)exported.First["total_energy"]!, 6);
        Assert.Null(exported.First["cdrData"]);
        Assert.Equal("must be true or false", (await Api.Get("/v2/cdrs?export=maybe")).FailFor("export"));
        Assert.Equal("must be a UUID", (await Api.Get("/v2/cdrs?network=x")).FailFor("network"));
        Assert.Equal("unknown query parameter", (await Api.Get("/v2/cdrs?netwrk=x")).FailFor("netwrk"));
        var other = await SecondCustomer.CreateAsync(Host, "cdr-" + Guid.NewGuid().ToString("N")[..6]);
        Assert.Equal(0, (await other.Get($"/v2/cdrs?network={networkId}")).Total);

        // A CSV report of the network's sessions in that window holds the session's row.
        var window = new JObject { ["network"] = networkId, ["start"] = OcppKit.Ocpp(startAt.AddHours(-1)), ["end"] = OcppKit.Ocpp(stopAt.AddHours(1)) };
        var created = await Api.Post("/v2/reports", new JObject { ["name"] = "sessions export", ["model"] = "charging_sessions", ["filters"] = window });
        Assert.Equal(201, created.Status);
        Assert.Equal("charging_sessions", (string?)created.First["model"]);
        var report = await ReportTests.CompletedAsync(Api, created.First.Id());
        Assert.Equal(1, (long)report["rows"]!);
        var (_, contentType, csv) = await ReportTests.DownloadAsync(Host, TestHost.AdminToken, report.Id());
        Assert.Equal("text/csv", contentType);
        var rows = ReportTests.ReadCsv(csv);
        Assert.Equal(2, rows.Count);
        var header = rows[0];
        var row = rows[1];
        Assert.Equal(session.Id(), row[Array.IndexOf(header, "id")]);
        Assert.Equal(tag, row[Array.IndexOf(header, "idTag")]);
        Assert.Equal("3", row[Array.IndexOf(header, "energyConsumption")]);
        Assert.Equal(transactionId.ToString(System.Globalization.CultureInfo.InvariantCulture), row[Array.IndexOf(header, "transactionId")]);
        Assert.Equal((long)report["size"]!, System.Text.Encoding.UTF8.GetByteCount(csv));

        // And a report of the CDRs, exported as OCPI: the cost columns are there.
        var cdrReport = await Api.Create("/v2/reports", new { name = "cdrs", model = "cdrs", filters = new { network = networkId } });
        var cdrCsv = ReportTests.ReadCsv((await ReportTests.DownloadAsync(Host, TestHost.AdminToken, (await ReportTests.CompletedAsync(Api, cdrReport.Id())).Id())).Body);
        Assert.Equal(cdr.Id(), cdrCsv[1][Array.IndexOf(cdrCsv[0], "id")]);
        Assert.Equal("1.071", cdrCsv[1][Array.IndexOf(cdrCsv[0], "totalCostInclVat")]);
        Assert.Equal(HttpStatusCode.NotFound, (await ReportTests.DownloadAsync(Host, TestHost.AdminToken, Guid.NewGuid().ToString())).Status);
    }

    [Fact]
    public async Task A_session_closed_over_rest_gets_its_cdr_once()
    {
        var site = await Site.CreateAsync(Api, "rest-cdr");
        Assert.Equal(200, (await Api.Patch($"/v2/networks/{site.NetworkId}", new { defaultTariff = 0.5, defaultTax = 0.1 })).Status);
        var session = await site.StartAsync(Api, extra: new { meterStart = 10.0 });
        Assert.Equal(200, (await Api.Patch($"/v2/charging_sessions/{session.Id()}", new { meterStop = 14.0 })).Status);
        Assert.Equal(200, (await Api.Delete($"/v2/charging_sessions/{session.Id()}")).Status); // already ended: no second CDR
        var cdrs = await Api.Get($"/v2/cdrs?network={site.NetworkId}");
        Assert.Equal(1, cdrs.Total);
        Assert.Equal(4.0, (double)cdrs.First["totalEnergy"]!, 6);
        Assert.Equal(2.0, (double)cdrs.First["totalCost"]!, 6);
        Assert.Equal(2.2, (double)cdrs.First["totalCostInclVat"]!, 6);
        var ocpi = cdrs.First["cdrData"]![0]!;
        Assert.Equal("COMMAND", (string?)ocpi["auth_method"]);
        Assert.Single((JArray)ocpi["charging_periods"]!);

        // Stopped by DELETE without any reading: a CDR of 0 kWh costing nothing.
        var second = await site.StartAsync(Api, site.Connector2);
        Assert.Equal(200, (await Api.Delete($"/v2/charging_sessions/{second.Id()}")).Status);
        var zero = (await Api.Get($"/v2/cdrs?connector={site.Connector2}")).First;
        Assert.Equal(0.0, (double)zero["totalEnergy"]!);
        Assert.Equal(0.0, (double)zero["totalCostInclVat"]!);
    }

    private static string Q(DateTimeOffset t) => Uri.EscapeDataString(OcppKit.Ocpp(t));
}
