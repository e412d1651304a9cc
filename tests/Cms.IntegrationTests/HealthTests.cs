using Cms.IntegrationTests.Harness;

namespace Cms.IntegrationTests;

public sealed class HealthTests
{
    [Fact]
    public async Task Health_answers_without_a_token_with_version_and_database_status()
    {
        await using var host = await TestHost.StartAsync();
        using var anonymous = host.Client(token: null!);
        var response = await anonymous.Get("/health");
        Assert.Equal(200, response.Status);
        Assert.Equal("ok", (string?)response.Body["status"]);
        Assert.Equal("ok", (string?)response.Body["database"]);
        Assert.Matches(@"^\d+\.\d+\.\d+$", (string?)response.Body["version"]);
    }
}
