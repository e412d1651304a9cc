using Cms.IntegrationTests.Harness;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.OpenApi;

/// <summary>/openapi/v2.json, /docs, and JSend answers for unknown paths and methods, over real HTTP.</summary>
public sealed class OpenApiDocumentTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TestHost Host => fixture.Host;

    private async Task<JObject> DocumentAsync()
    {
        using var http = new HttpClient { BaseAddress = Host.BaseAddress };
        using var response = await http.GetAsync("/openapi/v2.json"); // no token needed
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return ApiClient.Parse(await response.Content.ReadAsStringAsync()); // throws unless valid JSON
    }

    [Fact]
    public async Task The_document_is_openapi_3_1_with_networks_filters_paging_and_the_jsend_envelope()
    {
        var doc = await DocumentAsync();
        Assert.Matches(@"^3\.1\.\d+$", (string?)doc["openapi"]);
        Assert.Equal("bearer", (string?)doc["components"]!["securitySchemes"]!["bearer"]!["scheme"]);

        var list = (JObject)doc["paths"]!["/v2/networks"]!["get"]!;
        var parameters = list["parameters"]!.ToDictionary(p => (string)p["name"]!, p => (JObject)p);
        Assert.Equal(["limit", "offset", "sort", "search", "updated", "vehicle", "objective"], parameters.Keys.Where(k => k != "name"));
        Assert.Equal(1000, (int)parameters["limit"]["schema"]!["maximum"]!);
        Assert.Equal("date-time", (string?)parameters["updated"]["schema"]!["format"]);
        Assert.Equal("uuid", (string?)parameters["vehicle"]["schema"]!["format"]);
        Assert.All(parameters.Values, p => Assert.Equal("query", (string?)p["in"]));

        var success = list["responses"]!["200"]!["content"]!["application/json"]!["schema"]!;
        Assert.Equal("success", (string?)success["properties"]!["status"]!["const"]);
        Assert.Equal("integer", (string?)success["properties"]!["total"]!["type"]);
        var item = (string)success["properties"]!["data"]!["items"]!["$ref"]!;
        var network = doc.SelectToken(item.TrimStart('#').Replace('/', '.').TrimStart('.'))!;
        Assert.Equal("uuid", (string?)network["properties"]!["id"]!["format"]);
        Assert.Null(network["properties"]!["webhookSecret"]); // write-only fields are not rendered
        Assert.Equal("fail", (string?)doc["components"]!["schemas"]!["JsendFail"]!["properties"]!["status"]!["const"]);
        Assert.Equal("#/components/schemas/JsendFail", (string?)list["responses"]!["400"]!["content"]!["application/json"]!["schema"]!["$ref"]);
    }

    [Fact]
    public async Task An_independent_openapi_reader_accepts_the_document_as_3_1_without_errors()
    {
        var text = (await DocumentAsync()).ToString();
        var read = OpenApiDocument.Parse(text, "json", new OpenApiReaderSettings());
        Assert.Empty(read.Diagnostic!.Errors.Select(e => e.ToString()));
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, read.Diagnostic.SpecificationVersion);
        var document = read.Document!;
        Assert.Empty(document.Validate(ValidationRuleSet.GetDefaultRuleSet())!.Select(e => e.ToString()));
        Assert.True(document.Paths!.Count > 50);
    }

    [Fact]
    public async Task Request_bodies_carry_field_types_and_required_flags_from_the_resource_declarations()
    {
        var doc = await DocumentAsync();
        var create = doc["paths"]!["/v2/connectors"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!;
        Assert.Equal(["chargePointId", "connectorId", "currentType", "maxCapacity", "voltage"], create["required"]!.Select(r => (string)r!).Order());
        Assert.Equal(120.0, (double)create["properties"]!["voltage"]!["minimum"]!);
        Assert.Contains("AC_phase3_LN", create["properties"]!["currentType"]!["enum"]!.Select(e => (string?)e));
        Assert.Equal(["integer", "null"], create["properties"]!["priority"]!["type"]!.Select(t => (string)t!));
        Assert.NotNull(create["properties"]!["currentChargingLoad"]); // accepted, as the spec's sample sends it
        Assert.False((bool)create["additionalProperties"]!);

        var update = doc["paths"]!["/v2/connectors/{id}"]!["patch"]!;
        Assert.Null(update["requestBody"]!["content"]!["application/json"]!["schema"]!["required"]);
        Assert.Equal("path", (string?)update["parameters"]![0]!["in"]);

        var batch = doc["paths"]!["/v2/prices"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!;
        Assert.Equal(["networkId", "energyPrices"], batch["required"]!.Select(r => (string)r!));
        Assert.Equal("date-time", (string?)batch["properties"]!["energyPrices"]!["items"]!["properties"]!["start"]!["format"]);
        Assert.Equal("201", doc["paths"]!["/v2/prices"]!["post"]!["responses"]!.Cast<JProperty>().First().Name);

        var prices = doc["paths"]!["/v2/prices"]!["get"]!["parameters"]!;
        Assert.True((bool)prices.Single(p => (string?)p["name"] == "network")["required"]!);
        var chargePoints = doc["paths"]!["/v2/charge_points"]!["get"]!["parameters"]!;
        Assert.True((bool)chargePoints.Single(p => (string?)p["name"] == "sort_by")["deprecated"]!);
        Assert.Empty((JArray)doc["paths"]!["/v2/users/login"]!["post"]!["security"]!);
    }

    [Fact]
    public async Task Routes_without_declarations_still_appear_with_their_path_parameters()
    {
        var doc = await DocumentAsync();
        var stop = doc["paths"]!["/v2/charging_sessions/{id}/{transactionId}"]!["delete"]!;
        Assert.Equal(["id", "transactionId"], stop["parameters"]!.Select(p => (string)p["name"]!));
        Assert.NotNull(doc["paths"]!["/v2/configurations/ocpp_settings"]!["patch"]!["requestBody"]);
        Assert.Null(doc["paths"]!["/health"]);

        // Handlers that read their own parameter lists declare them (the same arrays they validate with).
        var dr = doc["paths"]!["/v2/profiles/dr_events"]!["get"]!["parameters"]!;
        Assert.True((bool)dr.Single(p => (string?)p["name"] == "type")["required"]!);
        Assert.Equal("integer", (string?)dr.Single(p => (string?)p["name"] == "intervalLength")["schema"]!["type"]);
        Assert.False((bool)doc["paths"]!["/v2/profiles/baseloads"]!["get"]!["parameters"]!.Single(p => (string?)p["name"] == "network")["required"]!);
        Assert.Contains("email", doc["paths"]!["/v2/users/me"]!["get"]!["parameters"]!.Select(p => (string?)p["name"]));
        var login = doc["paths"]!["/v2/users/login"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!;
        Assert.Equal(["name", "password"], login["required"]!.Select(r => (string)r!));
        Assert.Null(doc["paths"]!["/v2/events"]!["post"]); // events are written by AmpCMS only
    }

    [Fact]
    public async Task Docs_answer_an_html_reference_whose_script_comes_from_the_host()
    {
        using var http = new HttpClient { BaseAddress = Host.BaseAddress };
        using var page = await http.GetAsync("/docs");
        Assert.Equal(200, (int)page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<div id=\"app\">", html);
        Assert.Contains("openapi/v2.json", html);
        Assert.DoesNotContain("https://", html); // nothing from a CDN: it works offline
        using var script = await http.GetAsync(new Uri(page.RequestMessage!.RequestUri!, "scalar.js"));
        Assert.Equal(200, (int)script.StatusCode);
        Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 100_000);
    }

    [Fact]
    public async Task Unknown_paths_answer_404_and_wrong_methods_405_in_jsend()
    {
        var missing = await Host.Admin.Get("/v2/no_such_resource");
        Assert.Equal(404, missing.Status);
        Assert.Equal("fail", (string?)missing.Body["status"]);
        Assert.Contains("/v2/no_such_resource", missing.FailFor("path"));
        Assert.Equal(404, (await Host.Admin.Get("/nothing/here")).Status);

        var method = await Host.Admin.Delete("/v2/networks/");
        Assert.Equal(405, method.Status);
        Assert.Equal("fail", (string?)method.Body["status"]);
        Assert.Contains("DELETE", method.FailFor("method"));
        Assert.Equal(405, (await Host.Admin.Post("/v2/events", new { status = "Resolved" })).Status);
        Assert.Equal(405, (await Host.Admin.Patch($"/v2/users/{Guid.NewGuid()}", new { name = "x" })).Status);

        // A resource that does not exist is still the resource's own 404.
        Assert.NotNull((await Host.Admin.Get($"/v2/networks/{Guid.NewGuid()}")).Body["data"]);
        using var anonymous = Host.Client(null!);
        Assert.Equal("ok", (string?)(await anonymous.Get("/health")).Body["status"]);
    }
}
