using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Cms.Host.OperatorConsole;

/// <summary>
/// Serves the operator console (console/, built by npm into the host's output folder by Console.targets) at "/".
/// Static files only: the console talks to the public /v2 API like any other client.
/// </summary>
public static class ConsoleSetup
{
    /// <summary>The built console beside the host's assembly.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "console");

    public static bool IsBuilt => File.Exists(Path.Combine(Directory, "index.html"));

    public static void UseAmpConsole(this WebApplication app)
    {
        if (!IsBuilt)
        {
            app.Logger.LogWarning("The console is not built ({Directory} has no index.html): build Cms.Host with node and npm installed", Directory);
            return;
        }
        var files = new PhysicalFileProvider(Directory);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            // A new build must show at once: the browser revalidates every file (cheap: ETag / 304).
            OnPrepareResponse = context => context.Context.Response.Headers[HeaderNames.CacheControl] = "no-cache",
        });
    }
}
