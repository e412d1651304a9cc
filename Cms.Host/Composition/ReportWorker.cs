using Cms.Core.Cluster;
using Cms.Core.Domain.Reports;

namespace Cms.Host.Composition;

/// <summary>Generates reports in the background: every pending one at start (a restart resumes), then each new one as it is created.
/// With several nodes, only the node holding the job lease generates.</summary>
public sealed class ReportWorker(ReportGenerator generator, ReportQueue queue, IJobLeases jobs, ILogger<ReportWorker> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => jobs.RunWhileHeldAsync("reports", GenerateAsync, stoppingToken);

    private async Task GenerateAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await generator.RunNextAsync(stoppingToken)) { }
                await queue.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The store failed under us (not a report's fault): log and try again on the next signal.
                log.LogError(e, "Report generation failed");
                await queue.WaitAsync(stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
