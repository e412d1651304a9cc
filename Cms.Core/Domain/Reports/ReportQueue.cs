namespace Cms.Core.Domain.Reports;

/// <summary>Wakes the report worker when a report is created (the store says which ones are pending).</summary>
public sealed class ReportQueue
{
    private readonly SemaphoreSlim _signal = new(0);

    /// <summary>Raised on each signal, so other nodes can wake their report worker too.</summary>
    public event Action? Signalled;

    public void Signal()
    {
        _signal.Release();
        Signalled?.Invoke();
    }

    /// <summary>A signal from another node: wakes this node's worker without being passed on again.</summary>
    public void SignalFromPeer() => _signal.Release();

    public Task WaitAsync(CancellationToken cancel) => _signal.WaitAsync(cancel);
}
