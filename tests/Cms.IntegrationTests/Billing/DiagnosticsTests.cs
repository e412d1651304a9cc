using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Billing;

/// <summary>/v2/diagnostics with a strict 1.6 charger: GetDiagnostics with a one-time upload URL, the upload, status notifications, download.</summary>
public sealed class DiagnosticsTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TestHost Host => fixture.Host;
    private ApiClient Api => fixture.Host.Admin;

    [NodeFact]
    public async Task A_charger_uploads_its_diagnostics_once_and_the_operator_downloads_them()
    {
        var (_, cpId, ocppId) = await OcppKit.ChargePointAsync(Api, "diag");
        await using var charger = await Host.ConnectAsync($"ocpp/{ocppId}");
        await charger.BootAsync();
        await charger.HandleAsync("GetDiagnostics", new { fileName = "diag-0042.log" });

        var requested = await Api.Post("/v2/diagnostics", new { chargepointId = cpId });
        Assert.Equal(201, requested.Status);
        var diagnostics = requested.First;
        Assert.Equal(cpId, (string?)diagnostics["chargepointId"]);
        Assert.Equal("Requested", (string?)diagnostics["status"]);
        Assert.Equal("Accepted", (string?)diagnostics["requestStatus"]);
        Assert.Equal("diag-0042.log", (string?)diagnostics["fileName"]);
        Assert.Null(diagnostics["uploadSecretHash"]);
        var received = await charger.WaitForEventAsync("received", "GetDiagnostics");
        var location = (string)received["payload"]!["location"]!;
        Assert.StartsWith(Host.BaseAddress.ToString().TrimEnd('/') + "/diagnostics_uploads/" + diagnostics.Id() + "/", location);

        // Nothing to download yet.
        Assert.Equal("the charger has not uploaded a file for this request yet",
            (await Api.Get($"/v2/diagnostics/{diagnostics.Id()}/download")).FailFor("file"));

        await charger.CallAsync("DiagnosticsStatusNotification", new { status = "Uploading" });
        Assert.Equal("Uploading", (string?)(await Api.GetOne($"/v2/diagnostics/{diagnostics.Id()}"))["status"]);

        var content = "2031-05-01 boot ok\nmeter 1 OK\n" + new string('x', 5000);
        Assert.Equal(201, await Upload(charger, location, content));
        Assert.Equal(410, await Upload(charger, location, "a second upload"));           // the URL worked once
        Assert.Equal(404, await Upload(charger, location[..^4] + "AAAA", "a guessed secret"));

        await charger.CallAsync("DiagnosticsStatusNotification", new { status = "Uploaded" });
        charger.AssertNoComplaints();
        var uploaded = await Api.GetOne($"/v2/diagnostics/{diagnostics.Id()}");
        Assert.Equal("Uploaded", (string?)uploaded["status"]);
        Assert.Equal(Encoding.UTF8.GetByteCount(content), (long)uploaded["fileSize"]!);
        Assert.NotNull((string?)uploaded["uploaded"]);

        var (status, fileName, bytes) = await Download(Host, TestHost.AdminToken, diagnostics.Id());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("diag-0042.log", fileName);
        Assert.Equal(content, Encoding.UTF8.GetString(bytes));

        // The list filters by charge point and user; other customers and read_only users see and do what they may.
        var listed = await Api.Get($"/v2/diagnostics?chargepoint={cpId}");
        Assert.Equal(1, listed.Total);
        Assert.Equal(0, (await Api.Get($"/v2/diagnostics?chargepoint={cpId}&user={Guid.NewGuid()}")).Total);
        Assert.Equal(1, (await Api.Get($"/v2/diagnostics?chargepoint={cpId}&user={uploaded["userId"]}")).Total);
        using var reader = await Host.UserOfType("read_only");
        Assert.Equal(403, (await reader.Post("/v2/diagnostics", new { chargepointId = cpId })).Status);
        Assert.Equal(200, (await reader.Get($"/v2/diagnostics/{diagnostics.Id()}")).Status);
        var other = await SecondCustomer.CreateAsync(Host, "diag-" + Guid.NewGuid().ToString("N")[..6]);
        Assert.Equal(404, (await other.Get($"/v2/diagnostics/{diagnostics.Id()}")).Status);
        Assert.Equal(404, (await other.Get($"/v2/diagnostics/{diagnostics.Id()}/download")).Status);
        Assert.Equal(0, (await other.Get($"/v2/diagnostics?chargepoint={cpId}")).Total);
        Assert.Contains("does not exist", (await other.Post("/v2/diagnostics", new { chargepointId = cpId })).FailFor("chargepointId"));
    }

    [NodeFact]
    public async Task A_multipart_post_upload_works_and_an_offline_charger_gets_the_request_when_it_connects()
    {
        var (_, cpId, ocppId) = await OcppKit.ChargePointAsync(Api, "diag-mp");
        var queued = await Api.Post("/v2/diagnostics", new { chargepointId = cpId });
        Assert.Equal(201, queued.Status);
        Assert.Equal("Queued", (string?)queued.First["status"]);

        await using var charger = await Host.ConnectAsync($"ocpp/{ocppId}");
        await charger.HandleAsync("GetDiagnostics", new { });
        await charger.BootAsync();
        var received = await charger.WaitForEventAsync("received", "GetDiagnostics");
        var location = (string)received["payload"]!["location"]!;

        using var http = new HttpClient();
        using var form = new MultipartFormDataContent
        {
            { new StringContent("comment"), "note" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes("multipart log body")), "file", "charger.log" },
        };
        var answer = await http.PostAsync(location, form);
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        var (status, fileName, bytes) = await Download(Host, TestHost.AdminToken, queued.First.Id());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("charger.log", fileName);
        Assert.Equal("multipart log body", Encoding.UTF8.GetString(bytes));
        charger.AssertNoComplaints();
    }

    [NodeFact]
    public async Task A_201_charger_gets_GetLog_with_a_request_id_and_its_log_status_reaches_the_record()
    {
        var (_, cpId, ocppId) = await OcppKit.ChargePointAsync(Api, "diag-201");
        await using var charger = await Host.ConnectAsync($"ocpp/{ocppId}", protocol: "ocpp2.0.1");
        await OcppKit.EventuallyAsync(() => Api.GetOne($"/v2/charge_points/{cpId}"), cp => (string?)cp["protocol"] == "ocpp2.0.1", "protocol recorded");
        await charger.HandleAsync("GetLog", new { status = "Accepted", filename = "station.log" });

        var diagnostics = (await Api.Post("/v2/diagnostics", new { chargepointId = cpId })).First;
        Assert.Equal("ocpp2.0.1", (string?)diagnostics["protocol"]);
        Assert.Equal("Accepted", (string?)diagnostics["requestStatus"]);
        Assert.Equal("station.log", (string?)diagnostics["fileName"]);
        var received = await charger.WaitForEventAsync("received", "GetLog");
        Assert.Equal("DiagnosticsLog", (string?)received["payload"]!["logType"]);
        Assert.Equal((long)diagnostics["requestId"]!, (long)received["payload"]!["requestId"]!);
        var location = (string)received["payload"]!["log"]!["remoteLocation"]!;
        Assert.Equal(201, await Upload(charger, location, "2.0.1 log"));
        charger.AssertNoComplaints();

        // LogStatusNotification carries the requestId; the 2.0.1 adapter reports it through the same protocol-neutral call.
        var service = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Cms.Core.Domain.Diagnostics.DiagnosticsService>(Host.Services);
        var db = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Cms.Core.Storage.Database>(Host.Services);
        var customerId = await db.ReadAsync(conn => Dapper.SqlMapper.ExecuteScalarAsync<string>(conn, "SELECT customerId FROM charge_points WHERE id = @cpId", new { cpId }));
        var admitted = new Cms.Core.Domain.Ocpp.ChargerAdmitted(customerId!, cpId, "", ocppId, false);
        Assert.False(await service.StatusChangedAsync(admitted, "Uploaded", requestId: 999));
        Assert.True(await service.StatusChangedAsync(admitted, "Uploaded", (long)diagnostics["requestId"]!));
        Assert.Equal("Uploaded", (string?)(await Api.GetOne($"/v2/diagnostics/{diagnostics.Id()}"))["status"]);
    }

    [Fact]
    public async Task Bad_requests_name_the_field()
    {
        Assert.Equal("is required", (await Api.Post("/v2/diagnostics", new { })).FailFor("chargepointId"));
        Assert.Equal("must be a UUID", (await Api.Post("/v2/diagnostics", new { chargepointId = "cp-1" })).FailFor("chargepointId"));
        Assert.Contains("does not exist", (await Api.Post("/v2/diagnostics", new { chargepointId = Guid.NewGuid() })).FailFor("chargepointId"));
        Assert.Equal("unknown field", (await Api.Post("/v2/diagnostics", new { chargepointId = Guid.NewGuid(), retries = 3 })).FailFor("retries"));
        Assert.Equal("must be a UUID", (await Api.Get("/v2/diagnostics?chargepoint=x")).FailFor("chargepoint"));
        Assert.Equal(404, (await Api.Get($"/v2/diagnostics/{Guid.NewGuid()}")).Status);
        using var http = new HttpClient { BaseAddress = Host.BaseAddress };
        Assert.Equal(HttpStatusCode.NotFound, (await http.PutAsync($"/diagnostics_uploads/{Guid.NewGuid()}/secret", new StringContent("x"))).StatusCode);
    }

    [Fact]
    public async Task An_upload_larger_than_the_bound_is_refused_and_the_url_stays_usable()
    {
        await using var host = await TestHost.StartAsync(null, "--Diagnostics:MaxUploadBytes=1000");
        var (_, cpId, _) = await OcppKit.ChargePointAsync(host.Admin, "diag-big");
        var diagnostics = (await host.Admin.Post("/v2/diagnostics", new { chargepointId = cpId })).First;
        var secretUrl = await StoredLocationAsync(host, diagnostics.Id());
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await http.PutAsync(secretUrl, new ByteArrayContent(new byte[1001]))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await http.PutAsync(secretUrl, new ByteArrayContent(new byte[1000]))).StatusCode);
        Assert.Equal(1000, (long)(await host.Admin.GetOne($"/v2/diagnostics/{diagnostics.Id()}"))["fileSize"]!);
    }

    /// <summary>The location of a request queued for an offline charger, as the outbox holds it.</summary>
    private static async Task<string> StoredLocationAsync(TestHost host, string diagnosticsId)
    {
        var db = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Cms.Core.Storage.Database>(host.Services);
        var payload = await db.ReadAsync(conn => Dapper.SqlMapper.ExecuteScalarAsync<string>(conn,
            "SELECT payload FROM ocpp_outbox WHERE payload LIKE @like", new { like = "%" + diagnosticsId + "%" }));
        return (string)JObject.Parse(payload!)["location"]!;
    }

    private static async Task<int?> Upload(NodeCharger charger, string url, string body)
    {
        var tag = Guid.NewGuid().ToString("N");
        await charger.SendAsync(new { upload = url, method = "PUT", body, tag });
        var done = await charger.WaitForAsync(e => (string?)e["event"] == "uploaded" && (string?)e["tag"] == tag, "upload answer");
        return (int?)done["status"];
    }

    private static async Task<(HttpStatusCode Status, string? FileName, byte[] Body)> Download(TestHost host, string token, string id)
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.GetAsync($"/v2/diagnostics/{id}/download");
        return (response.StatusCode, response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), await response.Content.ReadAsByteArrayAsync());
    }
}
