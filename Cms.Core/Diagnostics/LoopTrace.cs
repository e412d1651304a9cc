using System.Collections.Concurrent;
using System.Globalization;

namespace Cms.Core.Diagnostics;

/// <summary>
/// Stage timestamps of the closed loop (session start → replan → delivery), for the loop bench: with the environment
/// variable <c>AMPCMS_LOOP_TRACE</c> naming a file, each mark is kept in memory and appended to that file, one line
/// per mark (UTC time with µs, stage, detail), when a delivery run ends. Off (one static read per mark) otherwise.
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
        Marks.Enqueue(DateTime.UtcNow.ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + " " + stage + " " + detail);
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
