using System.Collections.Concurrent;
using System.Globalization;

namespace Cms.Core.Diagnostics;

/// <summary>
/// Stage timestamps of the closed loop (session start → replan → delivery), for the loop bench: with the environment
/// variable <c>AMPCMS_LOOP_TRACE</c> naming a file, each mark is kept in memory and appended to that file, one line
/// per mark (UTC time with µs, stage, detail, then the MB the process allocated so far as "alloc=…", its
/// collections of generation 0/1/2 so far as "gcn=…" and its total GC pause so far in ms as "gc=…", so a stage that allocates or that a collection stretched shows), when a delivery run ends. Off (one static read per mark) otherwise.
/// </summary>
public static class LoopTrace
{
    private static readonly string? File = Environment.GetEnvironmentVariable("AMPCMS_LOOP_TRACE") is { Length: > 0 } f ? f : null;
    private static readonly ConcurrentQueue<string> Marks = new();
    private static readonly Lock FlushLock = new();

    public static bool On => File is not null;

    public static void Mark(string stage, string? detail = null)
    {
        if (File is null) return;
        Marks.Enqueue(DateTime.UtcNow.ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + " " + stage + " " + detail +
            " alloc=" + (GC.GetTotalAllocatedBytes() >> 20).ToString(CultureInfo.InvariantCulture) +
            " gcn=" + GC.CollectionCount(0) + "/" + GC.CollectionCount(1) + "/" + GC.CollectionCount(2) +
            " gc=" + GC.GetTotalPauseDuration().TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture));
    }

    /// <summary>Writes the marks kept so far; called off the loop's critical path.</summary>
    public static void Flush()
    {
        if (File is null) return;
        lock (FlushLock)
        {
            var lines = new List<string>();
            while (Marks.TryDequeue(out var line)) lines.Add(line);
            if (lines.Count > 0) System.IO.File.AppendAllLines(File, lines);
        }
    }
}
