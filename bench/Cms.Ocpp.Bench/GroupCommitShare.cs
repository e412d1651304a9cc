using System.Diagnostics;
using Cms.Core.Domain.MeterValues;
using Cms.Core.Storage;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Cms.Ocpp.Bench;

/// <summary>
/// `--group`: the group commit alone, in-process, on a migrated SQLite store. N callers (default 100, `--chargers`) each
/// keep one item in flight, as chargers waiting for their answer do; an item is what a MeterValues message writes
/// through <see cref="Database.GroupWriteAsync{T}"/> and <see cref="HotStatements"/>: 2 rows into the meter-values journal and an UPDATE of its own
/// session's row. Prints CPU µs per item (this process), bytes written per item (/proc/self/io wchar: WAL, temp files
/// and checkpoints), items per commit, and the caller's p50/p99 wait. Asserts nothing.
/// </summary>
public static class GroupCommitShare
{
    public static async Task RunAsync(int callers, double seconds)
    {
        var dir = Path.Combine(Path.GetTempPath(), "ampcms-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var db = new Database(Path.Combine(dir, "ampcms.db"));
            await db.MigrateAsync();
            await db.WriteAsync((c, tx) => c.ExecuteAsync(
                "CREATE TABLE bench_sessions (id TEXT PRIMARY KEY, load REAL, energy REAL, updated TEXT)", transaction: tx));
            var sessions = Enumerable.Range(0, callers).Select(_ => Guid.NewGuid().ToString()).ToArray();
            await db.WriteAsync(async (c, tx) =>
            {
                foreach (var s in sessions) await c.ExecuteAsync("INSERT INTO bench_sessions (id) VALUES (@s)", new { s }, tx);
            });
            // Warm-up (JIT, prepared statements), then the measured window.
            await RunWindowAsync(db, sessions, 2.0);
            var r = await RunWindowAsync(db, sessions, seconds);
            Console.WriteLine($"group commit, {callers} callers, {seconds:F0} s: {r.Items / seconds,7:F0} items/s, CPU {r.CpuUs,5:F0} µs/item, " +
                $"written {r.Bytes,6:F0} B/item, {r.PerCommit,5:F1} items/commit, wait p50 {r.P50,5:F2} ms p99 {r.P99,6:F2} ms");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<(long Items, double CpuUs, double Bytes, double PerCommit, double P50, double P99)> RunWindowAsync(
        Database db, string[] sessions, double seconds)
    {
        var columns = TrafficJournal.MeterReadings.Columns;
        var sql = TrafficJournal.MeterReadings.InsertSql;
        long items = 0, commits = 0;
        System.Data.Common.DbTransaction? lastTx = null;
        var waits = new List<double>[sessions.Length];
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var bytes0 = Wchar();
        var stopAt = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var loops = sessions.Select((session, n) => Task.Run(async () =>
        {
            var mine = waits[n] = new List<double>();
            var reading = 0;
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var t0 = Stopwatch.GetTimestamp();
                reading++;
                await db.GroupWriteAsync(async (conn, tx) =>
                {
                    // Items run one at a time on the writer: a new transaction object means a new commit.
                    if (!ReferenceEquals(lastTx, tx)) { lastTx = tx; commits++; }
                    var now = Cms.Core.Resources.Iso.Format(DateTimeOffset.UtcNow);
                    var insert = conn.Hot(tx, sql, columns);
                    insert.Text(1, "c"); insert.Text(2, now); insert.Text(3, now); insert.Text(4, session); insert.Integer(5, 1);
                    insert.Text(6, session + "-1"); insert.Text(7, "network"); insert.Text(8, session); insert.Integer(9, 7);
                    insert.Text(11, now);
                    // One reading (migration 071): both samples in one row.
                    insert.Text(0, MeterReading.NewId(Guid.CreateVersion7().ToString()));
                    insert.Text(12, MeterReading.SamplesJson(
                        [new Sample(7000.0, "Power.Active.Import", null, "W", "Sample.Periodic", "Raw", "Outlet"),
                         new Sample(1234.0 + reading, "Energy.Active.Import.Register", null, "Wh", "Sample.Periodic", "Raw", "Outlet")], 0, 2));
                    await insert.RunAsync();
                    var update = conn.Hot(tx, "UPDATE bench_sessions SET load = @load, energy = @energy, updated = @now WHERE id = @id",
                        ["load", "energy", "now", "id"]);
                    update.Real(0, 7.0); update.Real(1, 1.234 + reading); update.Text(2, now); update.Text(3, session);
                    await update.RunAsync();
                    items++;
                    return 0;
                });
                mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
        })).ToArray();
        await Task.WhenAll(loops);
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
        var all = waits.SelectMany(w => w).Order().ToArray();
        double Pct(double p) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)Math.Ceiling(p * all.Length) - 1)];
        return (items, cpu * 1e6 / Math.Max(1, items), (Wchar() - bytes0) / (double)Math.Max(1, items), items / (double)Math.Max(1, commits), Pct(0.5), Pct(0.99));
    }

    private static long Wchar() =>
        long.Parse(File.ReadLines("/proc/self/io").First(l => l.StartsWith("wchar:", StringComparison.Ordinal)).Split(':')[1].Trim());
}
