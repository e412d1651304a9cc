using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Cms.Core.Diagnostics;

/// <summary>
/// The process's operational metrics, on .NET's System.Diagnostics.Metrics so Core needs no exporter; Cms.Host
/// serves them at /metrics in Prometheus format (OpenTelemetry's exporter). Instruments are process-wide: several hosts in one test process add up.
/// </summary>
public static class AmpMetrics
{
    public const string MeterName = "AmpCms";
    /// <summary>Action names seen so far; past this many, garbage from a misbehaving charger is counted as "other".</summary>
    private const int MaxActions = 200;

    private static readonly Meter Meter = new(MeterName);
    /// <summary>Buckets from 0.1 ms to 10 s: a lock wait or an optimizer run is usually milliseconds, and seconds are trouble.</summary>
    private static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };
    private static readonly ConcurrentDictionary<string, string> Actions = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<object, Func<int>> ConnectedSources = new();

    /// <summary>OCPP frames counted per (action, type, source) in plain longs and exported through an observable counter:
    /// a tagged Counter.Add per frame cost a tag-set lookup inside OpenTelemetry on every message (TagsComparer in the profile).</summary>
    private static readonly ConcurrentDictionary<FrameKind, StrongBox<long>> OcppMessageCounts = new();
    private static readonly Counter<long> OptimizerRuns = Meter.CreateCounter<long>("ampcms.optimizer.runs", null,
        "Network optimizer runs by outcome (ok or failed)");
    private static readonly Histogram<double> OptimizerDuration = Meter.CreateHistogram<double>("ampcms.optimizer.run.duration", "s",
        "Time of one network optimizer run, from loading its inputs to publishing the schedules", null, Seconds);
    private static readonly Counter<long> ProfileDeliveries = Meter.CreateCounter<long>("ampcms.delivery.profiles", null,
        "SetChargingProfile deliveries by outcome (Accepted, Rejected, CallError, TimedOut, Disconnected, ...)");
    private static readonly Histogram<double> WriteLockWait = Meter.CreateHistogram<double>("ampcms.storage.write_lock.wait", "s",
        "Time a store write waited for the store's write lock", null, Seconds);

    static AmpMetrics()
    {
        Meter.CreateObservableCounter("ampcms.ocpp.messages", ObserveOcppMessages, null,
            "OCPP frames by action, message type and source (Charger or AmpCMS)");
        Meter.CreateObservableGauge("ampcms.ocpp.connected_chargers", () => ConnectedSources.Values.Sum(count => count()), null,
            "Chargers with an open OCPP WebSocket");
    }

    /// <summary>Adds a host's live connection count to the connected-chargers gauge until the returned handle is disposed.</summary>
    public static IDisposable CountConnectedChargers(Func<int> count)
    {
        var key = new object();
        ConnectedSources[key] = count;
        return new Removal(() => ConnectedSources.TryRemove(key, out _));
    }

    public static void OcppMessage(string? action, string? messageType, string source)
    {
        // Count takes every lock of the dictionary: asked only for an action not seen before.
        var name = action is null ? "unknown"
            : Actions.TryGetValue(action, out var known) ? known
            : Actions.Count < MaxActions ? Actions.GetOrAdd(action, action) : "other";
        var key = new FrameKind(name, messageType ?? "unknown", source);
        if (!OcppMessageCounts.TryGetValue(key, out var count))
            count = OcppMessageCounts.GetOrAdd(key, static _ => new StrongBox<long>());
        Interlocked.Increment(ref count.Value);
    }

    private static IEnumerable<Measurement<long>> ObserveOcppMessages()
    {
        foreach (var (kind, count) in OcppMessageCounts)
            yield return new Measurement<long>(Interlocked.Read(ref count.Value),
                new("action", kind.Action), new("type", kind.Type), new("source", kind.Source));
    }

    private readonly record struct FrameKind(string Action, string Type, string Source);

    public static void OptimizerRun(TimeSpan duration, bool ok)
    {
        OptimizerRuns.Add(1, new KeyValuePair<string, object?>("outcome", ok ? "ok" : "failed"));
        OptimizerDuration.Record(duration.TotalSeconds);
    }

    /// <summary>outcome: the charger's answer status when it answered, else how the call ended.</summary>
    public static void ProfileDelivered(string outcome) =>
        ProfileDeliveries.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public static void WriteLockWaited(long startTimestamp) =>
        WriteLockWait.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds);

    private sealed class Removal(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }
}
