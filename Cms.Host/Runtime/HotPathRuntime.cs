namespace Cms.Host.Runtime;

/// <summary>
/// The process's thread-pool setting for the OCPP hot path, in one place. It is config (Runtime:MinWorkerThreads, or
/// AMPCMS_Runtime__MinWorkerThreads in the environment) so an operator can compare settings on one binary.
/// </summary>
public static class HotPathRuntime
{
    /// <summary>Worker threads the pool starts without delay: SQLite calls block their thread, and with the default minimum
    /// (one per core) a burst of them would wait for the pool to add threads (~2 per second). The cost is 30+ threads
    /// alive under charger load on a 2-core machine; a minimum of 2 cut context switches per message by ~25 %, but the
    /// 1,000-connector loop was slower in 3 of 4 pairs, so 32 stays.</summary>
    public const int DefaultMinWorkerThreads = 32;

    public static void UseHotPathRuntime(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration.GetSection("Runtime");
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, config.GetValue("MinWorkerThreads", DefaultMinWorkerThreads)), io);
    }
}
