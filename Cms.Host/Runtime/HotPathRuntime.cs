namespace Cms.Host.Runtime;

/// <summary>
/// The process's thread-pool and socket-transport settings for the OCPP hot path, in one place. Each is config too
/// (Runtime:…, or AMPCMS_Runtime__… in the environment) so an operator can compare settings on one binary.
/// </summary>
public static class HotPathRuntime
{
    /// <summary>Worker threads the pool starts without delay. It was 32 so a burst of REST calls that block on SQLite
    /// would not wait for the pool to add threads; but the pool then keeps that many workers busy at once, and on a
    /// 2-core machine every charger message woke another sleeping thread (30+ alive, a context switch per hop).</summary>
    public const int DefaultMinWorkerThreads = 32;

    public static void UseHotPathRuntime(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration.GetSection("Runtime");
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, config.GetValue("MinWorkerThreads", DefaultMinWorkerThreads)), io);
    }
}
