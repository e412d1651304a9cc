using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Billing;

/// <summary>/v2/reports: filters as their list endpoint takes them, paging of the export, validation, roles and tenancy.</summary>
public sealed class ReportTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TestHost Host => fixture.Host;
    private ApiClient Api => fixture.Host.Admin;

    [Fact]
    public async Task Reports_export_what_the_list_endpoint_would_answer_paged_by_limit_and_offset()
    {
        var site = await Site.CreateAsync(Api, "report");
        var first = await site.StartAsync(Api, site.Connector1, new { idTag = "A,\"quoted\"" });
        var second = await site.StartAsync(Api, site.Connector2, new { idTag = "=1+1" });
        var other = await Site.CreateAsync(Api, "elsewhere");
        await other.StartAsync(Api);

        var all = await Completed(await Api.Create("/v2/reports", new { name = "open", model = "charging_sessions", filters = new { network = site.NetworkId } }));
        var rows = ReadCsv((await DownloadAsync(Host, TestHost.AdminToken, all.Id())).Body);
        Assert.Equal(3, rows.Count); // header + the network's two open sessions, not the other network's
        var idTags = rows.Skip(1).Select(r => r[Array.IndexOf(rows[0], "idTag")]).ToHashSet();
        Assert.Contains("A,\"quoted\"", idTags);          // RFC 4180 quoting survives the round trip
        Assert.Contains("'=1+1", idTags);                  // a formula is defused for spreadsheets

        var one = await Completed(await Api.Create("/v2/reports", new
        {
            name = "page", model = "charging_sessions",
            filters = new { network = site.NetworkId, sort = "sessionStart:asc", limit = 1, offset = 1 },
        }));
        Assert.Equal(1, (long)one["rows"]!);
        var page = ReadCsv((await DownloadAsync(Host, TestHost.AdminToken, one.Id())).Body);
        Assert.Equal(second.Id(), page[1][Array.IndexOf(page[0], "id")]);

        var byConnector = await Completed(await Api.Create("/v2/reports", new
        {
            name = "connectors", model = "charging_sessions", filters = new { network = site.NetworkId, connector = new[] { site.Connector1 } },
        }));
        Assert.Equal(first.Id(), ReadCsv((await DownloadAsync(Host, TestHost.AdminToken, byConnector.Id())).Body)[1][0]);

        // The list filters by model and user; GET shows the metadata.
        var listed = await Api.Get("/v2/reports?model=charging_sessions&limit=1000");
        Assert.Contains(listed.Data, r => (string?)r["id"] == all.Id());
        Assert.All(listed.Data, r => Assert.Equal("charging_sessions", (string?)r["model"]));
        Assert.Equal(0, (await Api.Get("/v2/reports?model=cdrs&userId=" + Guid.NewGuid())).Total);
        var got = await Api.GetOne($"/v2/reports/{all.Id()}");
        Assert.Equal("completed", (string?)got["status"]);
        Assert.Equal(site.NetworkId, (string?)got["filters"]!["network"]);
        Assert.NotNull((string?)got["completed"]);
        Assert.NotNull((string?)got["userId"]);
        Assert.Null(got["userType"]);
    }

    [Fact]
    public async Task Bad_reports_are_refused_naming_the_field_and_reports_stay_with_their_customer()
    {
        async Task<string?> Refused(object body, string field)
        {
            var response = await Api.Post("/v2/reports", body);
            Assert.True(response.Status == 400, response.ToString());
            return response.FailFor(field);
        }
        Assert.Contains("must be one of", await Refused(new { name = "x", model = "cars" }, "model"));
        Assert.Equal("is required", await Refused(new { model = "cdrs" }, "name"));
        Assert.Equal("must be a UUID", await Refused(new { name = "x", model = "cdrs", filters = new { network = "nope" } }, "filters.network"));
        Assert.Equal("unknown query parameter", await Refused(new { name = "x", model = "cdrs", filters = new { netwrk = Guid.NewGuid() } }, "filters.netwrk"));
        Assert.Contains("is required", await Refused(new { name = "x", model = "charging_sessions", filters = new { } }, "filters.network"));
        Assert.Contains("100000", await Refused(new { name = "x", model = "cdrs", filters = new { limit = 100_001 } }, "filters.limit"));
        Assert.Equal("unknown field", await Refused(new { name = "x", model = "cdrs", color = "red" }, "color"));
        Assert.Equal("is read-only", await Refused(new { name = "x", model = "cdrs", status = "completed" }, "status"));

        var report = await Completed(await Api.Create("/v2/reports", new { name = "mine", model = "ocpp_messages", filters = new { } }));
        using var reader = await Host.UserOfType("read_only");
        Assert.Equal(403, (await reader.Post("/v2/reports", new { name = "x", model = "cdrs" })).Status);
        Assert.Equal(200, (await reader.Get($"/v2/reports/{report.Id()}")).Status);
        var other = await SecondCustomer.CreateAsync(Host, "rep-" + Guid.NewGuid().ToString("N")[..6]);
        Assert.Equal(404, (await other.Get($"/v2/reports/{report.Id()}")).Status);
        Assert.DoesNotContain((await other.Get("/v2/reports")).Data, r => (string?)r["id"] == report.Id());
        Assert.Equal(404, (await other.Get($"/v2/reports/{report.Id()}/download")).Status);
    }

    private Task<JObject> Completed(JObject created) => CompletedAsync(Api, created.Id());

    /// <summary>Waits for the background worker to finish the report.</summary>
    public static async Task<JObject> CompletedAsync(ApiClient api, string id)
    {
        var report = await OcppKit.EventuallyAsync(() => api.GetOne($"/v2/reports/{id}"),
            r => (string?)r["status"] is "completed" or "failed", "report completed");
        Assert.True((string?)report["status"] == "completed", report.ToString());
        return report;
    }

    public static async Task<(HttpStatusCode Status, string? ContentType, string Body)> DownloadAsync(TestHost host, string token, string id)
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.GetAsync($"/v2/reports/{id}/download");
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    /// <summary>An RFC 4180 reader of our own, so the test judges the CSV independently of the library that wrote it.</summary>
    public static List<string[]> ReadCsv(string text)
    {
        var records = new List<string[]>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { record.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') { }
            else if (c == '\n') { record.Add(field.ToString()); field.Clear(); records.Add([.. record]); record.Clear(); }
            else field.Append(c);
        }
        if (field.Length > 0 || record.Count > 0) { record.Add(field.ToString()); records.Add([.. record]); }
        return records;
    }
}
