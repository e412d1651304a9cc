using System.Diagnostics;

namespace Cms.Bench.Shared;

/// <summary>
/// With AMPCMS_BENCH_TRACE=&lt;dir&gt;, samples the host's thread stacks with dotnet-trace (a dotnet tool, found on PATH,
/// in ~/.dotnet/tools or in AMPCMS_DOTNET_TRACE) for the measured window and writes &lt;dir&gt;/&lt;name&gt;.nettrace.
/// </summary>
public static class Profiler
{
    public static Task? Start(int pid, TimeSpan duration, string name)
    {
        var dir = Environment.GetEnvironmentVariable("AMPCMS_BENCH_TRACE");
        if (string.IsNullOrEmpty(dir)) return null;
        Directory.CreateDirectory(dir);
        var tool = Environment.GetEnvironmentVariable("AMPCMS_DOTNET_TRACE") ?? "dotnet-trace";
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "collect", "-p", pid.ToString(), "--profile", "dotnet-sampled-thread-time",
                     "--duration", duration.ToString(@"dd\:hh\:mm\:ss"), "-o", Path.Combine(dir, name + ".nettrace") })
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        return Task.Run(async () =>
        {
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
        });
    }
}
