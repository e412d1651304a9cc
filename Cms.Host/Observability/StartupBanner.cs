using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Cms.Host.Observability;

/// <summary>Once the host listens: where the console is, where the admin token is, and where the data lives.</summary>
public static class StartupBanner
{
    public static void PrintBannerWhenStarted(this WebApplication app, string databasePath)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var console = addresses.Select(a => a.TrimEnd('/') + "/").FirstOrDefault() ?? "(no address)";
            var tokenFile = Bootstrap.TokenFile(databasePath);
            var signIn = File.Exists(tokenFile) ? $"sign in with the admin API token in {tokenFile}"
                : "sign in with your user name and password, or an API token";
            var store = app.Services.GetRequiredService<Cms.Core.Storage.Database>().Dialect.Name;
            app.Logger.LogInformation("AmpCMS console: {ConsoleUrl} ({SignIn}); store {Store}, data in {DataDirectory}; metrics at {MetricsUrl}",
                console, signIn, store, Path.GetDirectoryName(Path.GetFullPath(databasePath)), console.TrimEnd('/') + MetricsSetup.Path);
        });
    }
}
