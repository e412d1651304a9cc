using Cms.IntegrationTests.Harness;

namespace Cms.IntegrationTests.Robustness;

/// <summary>A body over the limit is refused with 413 in the JSend shape, and nothing is stored.</summary>
public sealed class OversizedBodyTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task A_body_over_the_limit_gets_413_in_the_jsend_shape()
    {
        var api = fixture.Host.Admin;
        var before = (await api.Get("/v2/networks")).Total;
        var name = new string('n', 5 * 1024 * 1024);
        var response = await api.Post("/v2/networks", $$"""{"name":"{{name}}","maxCapacity":10}""");
        Assert.Equal(413, response.Status);
        Assert.Equal("fail", (string?)response.Body["status"]);
        Assert.Contains("too large", response.FailFor("request"));
        Assert.Equal(before, (await api.Get("/v2/networks")).Total);
        Assert.Equal(201, (await api.Post("/v2/networks", new { name = "after", maxCapacity = 10 })).Status);
    }
}
