using Cms.Core.Auth;

namespace Cms.Host;

/// <summary>
/// First start: create customer "default" and its admin. The admin's token comes from AMPCMS_BOOTSTRAP_TOKEN (or config Bootstrap:Token)
/// or is generated, shown once on the console and written next to the database with mode 0600.
/// </summary>
public static class Bootstrap
{
    /// <summary>The first admin's token file: next to the database.</summary>
    public static string TokenFile(string databasePath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(databasePath))!, "bootstrap-token");

    public static async Task RunAsync(UserService users, string databasePath, string? configuredToken, ILogger log)
    {
        var preset = configuredToken ?? Environment.GetEnvironmentVariable("AMPCMS_BOOTSTRAP_TOKEN");
        var token = await users.BootstrapAsync(preset);
        if (token is null) return;

        var file = TokenFile(databasePath);
        await File.WriteAllTextAsync(file, token + Environment.NewLine);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        if (string.IsNullOrWhiteSpace(preset))
            Console.WriteLine($"AmpCMS first start: admin API token {token} (also saved to {file})");
        log.LogInformation("Created customer 'default' and user 'admin'; token file {TokenFile}", file);
    }
}
