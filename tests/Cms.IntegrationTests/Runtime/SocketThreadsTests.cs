using System.Diagnostics;
using Cms.Bench.Shared;

namespace Cms.IntegrationTests.Runtime;

/// <summary>The host's socket event threads (Runtime:SocketThreads), counted in the running process the way an operator
/// would see them: /proc/&lt;pid&gt;/task/*/comm.</summary>
public class SocketThreadsTests
{
    [Fact]
    public async Task The_host_runs_one_socket_event_thread_per_two_cores_unless_configured()
    {
        await using (var host = await HostProcess.StartAsync(null, WithoutInheritedSetting))
            Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), SocketThreads(host.Pid));
        await using (var host = await HostProcess.StartAsync(null, WithoutInheritedSetting, "--Runtime:SocketThreads=3"))
            Assert.Equal(3, SocketThreads(host.Pid));
    }

    /// <summary>The hosts other tests run inside this process set .NET's variable in its environment (the host sets it
    /// before its first socket), and a child would inherit it: an operator's own setting, which wins.</summary>
    private static void WithoutInheritedSetting(ProcessStartInfo start) => start.Environment.Remove("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT");

    private static int SocketThreads(int pid) =>
        Directory.GetDirectories($"/proc/{pid}/task").Count(task =>
        {
            try { return File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Sockets", StringComparison.Ordinal); }
            catch (IOException) { return false; } // the thread ended meanwhile
        });
}
