namespace Cms.Core.Storage;

/// <summary>
/// The store's one write lock, with a background lane. Writers take it in arrival order, except that background
/// writers (a stored optimization run, the delivery state: bookkeeping nobody waits for) let every other queued writer
/// go first: a charger's session start queued behind a 1,000-row run then waits for the piece under way, not for the
/// rest of the run. A background writer that has waited <see cref="MaxBackgroundWait"/> goes next anyway, so a steady
/// stream of other writers never starves it.
/// </summary>
public sealed class WriteLock(TimeSpan maxBackgroundWait)
{
    public static readonly TimeSpan MaxBackgroundWait = TimeSpan.FromSeconds(1);
    private readonly Lock _gate = new();
    private readonly Queue<TaskCompletionSource> _waiting = new();
    private readonly Queue<(TaskCompletionSource Turn, long Since)> _background = new();
    private bool _held;

    public WriteLock() : this(MaxBackgroundWait) { }

    /// <summary>Writers other than background ones waiting for the lock.</summary>
    public int Waiting
    {
        get { lock (_gate) return _waiting.Count; }
    }

    public Task WaitAsync() => WaitAsync(background: false);

    public Task WaitAsync(bool background)
    {
        lock (_gate)
        {
            if (!_held)
            {
                _held = true;
                return Task.CompletedTask;
            }
            var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (background) _background.Enqueue((turn, System.Diagnostics.Stopwatch.GetTimestamp()));
            else _waiting.Enqueue(turn);
            return turn.Task;
        }
    }

    /// <summary>Blocks the calling thread until the lock is taken (for a thread of its own, e.g. the checkpoint).</summary>
    public void Wait() => WaitAsync().GetAwaiter().GetResult();

    public void Release()
    {
        TaskCompletionSource next;
        lock (_gate)
        {
            var backgroundDue = _background.TryPeek(out var oldest)
                && System.Diagnostics.Stopwatch.GetElapsedTime(oldest.Since) >= maxBackgroundWait;
            if (!backgroundDue && _waiting.TryDequeue(out var writer)) next = writer;
            else if (_background.TryDequeue(out var bookkeeper)) next = bookkeeper.Turn;
            else
            {
                _held = false;
                return;
            }
        }
        next.SetResult(); // the lock passes straight to the next writer
    }
}
