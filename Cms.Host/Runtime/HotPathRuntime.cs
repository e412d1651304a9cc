using System.Globalization;
using Cms.Core.Storage.Postgres;

namespace Cms.Host.Runtime;

/// <summary>
/// The process's threading settings for the OCPP hot path, in one place. They are config (Runtime:MinWorkerThreads,
/// Runtime:InlineSockets, Runtime:SocketThreads, or AMPCMS_Runtime__… in the environment) so an operator can compare
/// settings on one binary.
/// </summary>
public static class HotPathRuntime
{
    /// <summary>Worker threads the pool starts without delay: SQLite calls block their thread, and with the default minimum
    /// (one per core) a burst of them would wait for the pool to add threads (~2 per second). The cost is 30+ threads
    /// alive under charger load on a 2-core machine; a minimum of 2 cut context switches per message by ~25 %, but the
    /// 1,000-connector loop was slower in 3 of 4 pairs, so 32 stays.</summary>
    public const int DefaultMinWorkerThreads = 32;

    /// <summary>.NET reads it once, when the process makes its first socket: with "1" the socket's event thread runs
    /// what a completed read or write resumes instead of queueing it to the pool.</summary>
    private const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Socket event threads (Runtime:SocketThreads; .NET reads DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT once, like the
    /// above). With inline I/O .NET starts one per core, and each runs its connections' frames up to the group commit;
    /// with one per two cores the rest is left to the group writer, the optimizer, the GC and whatever shares the
    /// machine. On 2 cores (one socket thread instead of two, #9): the closed loop at 1,000 connectors with load p50
    /// 78–95 against 101–109 ms and p99 165–208 against 187–314 (4 pairs), at the cost of ~7 % of the saturated
    /// ceiling at 1,000 chargers (own generator, 16,300 against 17,500 msgs/s); the ocpp-rpc compare did not move.
    /// </summary>
    private const string SocketThreads = "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT";
    private static int DefaultSocketThreads => Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>
    /// Socket I/O resumes on the thread that saw it complete (Runtime:InlineSockets, default on with SQLite): a charger's
    /// frame is read, parsed and handed to the group commit on the socket's event thread, and an answer is written to the
    /// socket by the thread that sends it, instead of two more hops through the thread pool per message. That cut the
    /// host's CPU per MeterValues by 9–17 % in the ocpp-rpc compare (#9: `--rounds 4 --against` the build before, median
    /// 0.86×). Whatever may block (REST, SQL, the handshake's password hash) is moved off the event thread first, see
    /// <see cref="UseThreadPoolForRequests"/>; the frames of a connection that is already open only queue their work there.
    /// </summary>
    public static void UseHotPathRuntime(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration.GetSection("Runtime");
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, config.GetValue("MinWorkerThreads", DefaultMinWorkerThreads)), io);
        // Not on PostgreSQL: its driver's reads are socket reads too, and code that waits for one synchronously (a
        // constructor's table check, the group writer's lock) on an event thread would wait for itself (it did, in tests).
        if (!config.GetValue("InlineSockets", true) || PostgresStore.ConnectionString(builder.Configuration) is not null) return;
        // Before Kestrel makes its listening socket; an operator's own setting wins.
        if (Environment.GetEnvironmentVariable(InlineCompletions) is null) Environment.SetEnvironmentVariable(InlineCompletions, "1");
        if (Environment.GetEnvironmentVariable(SocketThreads) is null)
            Environment.SetEnvironmentVariable(SocketThreads, config.GetValue("SocketThreads", DefaultSocketThreads).ToString(CultureInfo.InvariantCulture));
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
    }

    /// <summary>Every HTTP request (REST, the console, a WebSocket handshake) continues on the thread pool: with inline
    /// sockets it would otherwise run on a socket event thread, and a slow query there would hold up every connection
    /// that thread serves. First in the pipeline.</summary>
    public static void UseThreadPoolForRequests(this WebApplication app)
    {
        app.Use(static async (context, next) =>
        {
            await Task.Yield();
            await next(context);
        });
    }
}
