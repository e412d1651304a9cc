namespace Cms.Core.Cluster;

/// <summary>
/// Background jobs that must run on one node only (idle-session closing, report generation): a node runs such a job
/// while it holds the job's lease. On one node the lease is always held.
/// </summary>
public interface IJobLeases
{
    /// <summary>Waits until this node holds the job's lease; the token given back is cancelled when it loses it (or on stop).</summary>
    Task<CancellationToken> AcquireAsync(string job, CancellationToken stop);
}

/// <summary>One node: every job runs here for the life of the process.</summary>
public sealed class SingleNodeJobs : IJobLeases
{
    public Task<CancellationToken> AcquireAsync(string job, CancellationToken stop) => Task.FromResult(stop);
}

public static class JobLeaseExtensions
{
    /// <summary>Runs the job whenever this node holds its lease, until stopped: a node that loses the lease stops the job
    /// and waits to get it back, so the job runs on one node at a time.</summary>
    public static async Task RunWhileHeldAsync(this IJobLeases jobs, string job, Func<CancellationToken, Task> run, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            CancellationToken held;
            try { held = await jobs.AcquireAsync(job, stop); }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
            await run(held);
        }
    }
}
