using System.Text;
using Cms.Core.Storage;
using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Robustness;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Xunit.Abstractions;

namespace Cms.IntegrationTests.Fuzzing;

/// <summary>
/// Seeded fuzzing of every REST route the host maps: no 5xx, every answer in the JSend shape, and a refused write
/// changes nothing in the store.
/// </summary>
public sealed class RestFuzzTests(HostFixture fixture, ITestOutputHelper output) : IClassFixture<HostFixture>
{
    private const int ShortRun = 1500;

    [Fact]
    public async Task Fuzzed_requests_get_no_5xx_a_jsend_answer_and_refused_writes_change_nothing()
    {
        var host = fixture.Host;
        var run = FuzzRun.FromEnvironment();
        output.WriteLine($"fuzz seed {run.Seed}, {run.Count(ShortRun)} requests");
        var world = await TenantWorld.CreateAsync(host.Admin, "rest-fuzz");
        var endpoints = MappedEndpoints.Of(host);
        var fuzzer = new RestRequestFuzzer(endpoints, world, run.Stream("rest"));
        var db = host.Services.GetRequiredService<Database>();
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", TestHost.AdminToken);

        var statuses = new SortedDictionary<int, int>();
        for (var i = 0; i < run.Count(ShortRun); i++)
        {
            var request = fuzzer.Next();
            var input = RestRequestFuzzer.Describe(i, request);
            var before = request.Endpoint.IsWrite ? await StoreFingerprint.OfAsync(db) : null;
            using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path);
            if (request.Body is not null) message.Content = new StringContent(request.Body, Encoding.UTF8, "application/json");
            using var response = await http.SendAsync(message);
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            statuses[status] = statuses.GetValueOrDefault(status) + 1;

            run.Check(status < 500, $"answered {status}: {FuzzRun.Shorten(text)}", input);
            run.Check(IsJsend(text, status), $"answered {status} outside the JSend shape: {FuzzRun.Shorten(text)}", input);
            if (before is not null && status >= 400)
                run.Check(before == await StoreFingerprint.OfAsync(db), $"refused with {status} but the store changed: {FuzzRun.Shorten(text)}", input);
        }
        output.WriteLine($"{run.Count(ShortRun)} requests over {endpoints.Count} routes; statuses: {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}");
    }

    /// <summary>Every /v2 answer is JSend: success with data (a list; an object for profiles), fail with data, error with message. An empty 404/405 comes from routing.</summary>
    private static bool IsJsend(string text, int status)
    {
        if (text.Length == 0) return status is 404 or 405;
        try
        {
            var body = JObject.Parse(text);
            return (string?)body["status"] switch
            {
                "success" => status < 300 && body["data"] is JArray or JObject, // profiles answer one object, as the spec shows
                "fail" => status >= 400 && body["data"] is JObject,
                "error" => status >= 500 && body["message"] is not null,
                _ => false,
            };
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
