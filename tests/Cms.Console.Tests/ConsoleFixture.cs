using Cms.IntegrationTests.Harness;

namespace Cms.Console.Tests;

/// <summary>One real host and one Chromium for the console tests of a class.</summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    public TestHost Host { get; private set; } = null!;
    public Browser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await TestHost.StartAsync();
        Browser = await Browser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        await Host.DisposeAsync();
    }
}
