using System.Collections.Concurrent;
using System.Diagnostics;
using Cms.Optimizer;

namespace Cms.Core.Domain.Optimizations;

/// <summary>How the optimizer itself is called; a seam so tests can make a run deliberately slow.</summary>
public class OptimizerSolver
{
    public virtual OptimizationResult Solve(OptimizationInput input) => SmartChargingOptimizer.Optimize(input);
}

/// <summary>
/// The wall-clock budget of one optimizer run (config <c>Optimizer:BudgetMs</c>, default 1,000: a run of thousands of
/// sessions takes tens of ms warm, but the first runs after a start pay for JIT compilation on a busy small box).
/// </summary>
public sealed record OptimizerGuardOptions(TimeSpan Budget)
{
    public static readonly OptimizerGuardOptions Default = new(TimeSpan.FromMilliseconds(1000));
}

/// <summary>One guarded run: the plan, how long it took, and why it is a fallback (null when it is the optimizer's own).</summary>
public sealed record GuardedResult(OptimizationResult Result, TimeSpan Elapsed, string? FallbackReason);

/// <summary>
/// Runs the optimizer under a budget. A run that overruns is left to finish on its own (its result is dropped) and
/// the network gets <see cref="SafeFallback"/>: its last plan scaled to fit the current limits, so the site is never
/// exceeded. While an overrunning run of a network is still going, that network's next runs fall back at once
/// rather than piling up solver threads; when it finishes, the replan callback asks for a fresh run (once per streak
/// of overruns), so a fallback does not outlast the slow run.
/// </summary>
public sealed class OptimizerGuard(OptimizerSolver solver, OptimizerGuardOptions options)
{
    private readonly ConcurrentDictionary<string, Task> _overrunning = new();
    // Networks already replanned after an overrun: a network whose runs always overrun is not replanned in a loop
    // (its next ordinary trigger, at the latest the period boundary, plans it again).
    private readonly ConcurrentDictionary<string, byte> _replanned = new();

    public TimeSpan Budget => options.Budget;

    /// <param name="replan">Called once when a run that overran its budget has finished after all.</param>
    public async Task<GuardedResult> RunAsync(string networkId, OptimizationInput input, Action? replan = null)
    {
        var clock = Stopwatch.StartNew();
        if (_overrunning.TryGetValue(networkId, out var still))
        {
            if (!still.IsCompleted) return new GuardedResult(SafeFallback.Scale(input), clock.Elapsed, "an earlier run is still over its budget");
            _overrunning.TryRemove(networkId, out _);
        }
        var run = Task.Run(() => solver.Solve(input));
        using var cancelTimer = new CancellationTokenSource();
        var first = await Task.WhenAny(run, Task.Delay(options.Budget, cancelTimer.Token));
        if (first == run)
        {
            cancelTimer.Cancel();
            var result = await run;
            _replanned.TryRemove(networkId, out _);
            return new GuardedResult(result, clock.Elapsed, null);
        }
        _overrunning[networkId] = run.ContinueWith(t =>
        {
            _ = t.Exception; // observed: the late result is dropped either way
            if (_replanned.TryAdd(networkId, 0)) replan?.Invoke();
        }, TaskScheduler.Default);
        return new GuardedResult(SafeFallback.Scale(input), clock.Elapsed, $"exceeded its budget of {options.Budget.TotalMilliseconds:F0} ms");
    }
}
