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
    /// a tagged Counter.Add per frame cost a tag-set lookup inside OpenTelemetry on every message (TagsComparer in the profile).
    /// Keyed by the action alone (a string key is hashed without randomization; the (action, type, source) key hashed
    /// three strings with Marvin on every frame in and out), then a scan of the action's few (type, source) pairs.</summary>
    private static readonly ConcurrentDictionary<string, ActionFrameCounts> OcppMessageCounts = new(StringComparer.Ordinal);
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
        if (!OcppMessageCounts.TryGetValue(name, out var counts))
            counts = OcppMessageCounts.GetOrAdd(name, static _ => new ActionFrameCounts());
        Interlocked.Increment(ref counts.For(messageType ?? "unknown", source).Value);
    }

    private static IEnumerable<Measurement<long>> ObserveOcppMessages()
    {
        foreach (var (action, counts) in OcppMessageCounts)
        foreach (var (type, source, count) in counts.Kinds)
            yield return new Measurement<long>(Interlocked.Read(ref count.Value),
                new("action", action), new("type", type), new("source", source));
    }

    /// <summary>One action's frame counts by message type and source: a few pairs (CALL, CALLRESULT, CALLERROR from
    /// either side), the constants compared by reference first. Added to under a lock, read without one.</summary>
    private sealed class ActionFrameCounts
    {
        private readonly Lock _gate = new();
        private volatile (string Type, string Source, StrongBox<long> Count)[] _kinds = [];

        public IReadOnlyList<(string Type, string Source, StrongBox<long> Count)> Kinds => _kinds;

        public StrongBox<long> For(string type, string source)
        {
            if (Find(_kinds, type, source) is { } known) return known;
            lock (_gate)
            {
                if (Find(_kinds, type, source) is { } added) return added;
                var count = new StrongBox<long>();
                _kinds = [.. _kinds, (type, source, count)];
                return count;
            }
        }

        private static StrongBox<long>? Find((string Type, string Source, StrongBox<long> Count)[] kinds, string type, string source)
        {
            foreach (var kind in kinds)
                if (string.Equals(kind.Type, type) && string.Equals(kind.Source, source)) return kind.Count;
            return null;
        }
    }

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
