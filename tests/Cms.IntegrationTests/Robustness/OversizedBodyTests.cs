using Cms.IntegrationTests.Harness;

namespace Cms.IntegrationTests.Robustness;

/// <summary>A body over the limit is refused with 413, a URL over the limit with 414, both in the JSend shape; nothing is stored.</summary>
public sealed class OversizedBodyTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task A_body_over_the_limit_gets_413_in_the_jsend_shape()
    {
        var api = fixture.Host.Admin;
        var before = (await api.Get("/v2/networks")).Total;
        var name = new string('n', 5 * 1024 * 1024);
        using var http = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/networks")
        {
            Content = new StringContent($$"""{"name":"{{name}}","maxCapacity":10}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", TestHost.AdminToken);
        request.Headers.ExpectContinue = true; // as curl does for a big body: the refusal comes before the upload
        using var answer = await http.SendAsync(request);
        Assert.Equal(413, (int)answer.StatusCode);
        var body = ApiClient.Parse(await answer.Content.ReadAsStringAsync());
        Assert.Equal("fail", (string?)body["status"]);
        Assert.Contains("too large", (string?)body["data"]!["request"]);
        Assert.Equal(before, (await api.Get("/v2/networks")).Total);
        Assert.Equal(201, (await api.Post("/v2/networks", new { name = "after", maxCapacity = 10 })).Status);
    }

    [Fact]
    public async Task A_url_over_the_limit_gets_414_in_the_jsend_shape_and_one_under_it_is_served()
    {
        using var http = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", TestHost.AdminToken);
        using var tooLong = await http.PostAsync("/v2/vehicles?limit=" + new string('q', 9 * 1024), new StringContent("{}"));
        Assert.Equal(414, (int)tooLong.StatusCode);
        var body = ApiClient.Parse(await tooLong.Content.ReadAsStringAsync());
        Assert.Equal("fail", (string?)body["status"]);
        Assert.Contains("at most 8192", (string?)body["data"]!["request"]);
        using var fine = await http.GetAsync("/v2/networks?search=" + new string('q', 7 * 1024));
        Assert.True(fine.IsSuccessStatusCode, await fine.Content.ReadAsStringAsync());
    }
}
