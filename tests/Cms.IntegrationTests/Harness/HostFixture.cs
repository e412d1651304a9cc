namespace Cms.IntegrationTests.Harness;

/// <summary>One real host per test class (xunit IClassFixture); tests in a class share it and create their own rows.</summary>
public sealed class HostFixture : IAsyncLifetime
{
    public TestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
