namespace Cms.Core.Domain.Reports;

/// <summary>Wakes the report worker when a report is created (the store says which ones are pending).</summary>
public sealed class ReportQueue
{
    private readonly SemaphoreSlim _signal = new(0);

    public void Signal() => _signal.Release();

    public Task WaitAsync(CancellationToken cancel) => _signal.WaitAsync(cancel);
}
