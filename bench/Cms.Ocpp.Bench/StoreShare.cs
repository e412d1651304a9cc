using System.Diagnostics;
using Cms.Core.Domain.MeterValues;
using Cms.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Cms.Ocpp.Bench;

/// <summary>
/// `--store`: the SQLite CPU one MeterValues message costs in the store alone, on the real schema (migrations applied),
/// as the host runs it: one meterValue element of S samples per message, 50 messages per transaction from 100 chargers,
/// with time-ordered ids, appended to the journal (<see cref="TrafficJournal.InsertSql"/>) and moved into the indexed
/// table by <see cref="TrafficJournal.MovePartAsync"/>
/// once the host's mover would (every <see cref="JournalMoverOptions.MoveRows"/> journal rows), in parts of
/// <see cref="Database.MovePartRows"/> rows, each its own transaction. "per reading" is the layout since migration 071
/// (one meter_readings row per element); "per sample" the one before (one meter_values row per sample, through a copy of
/// the old journal made for the bench). Moves' CPU is counted, and the longest part is what a writer queued behind a
/// move waits for at most. The message log's 2 frames per message (request and answer) go in as the host's log writes
/// them since migration 072: a batch row per charger every <see cref="LogFlushFrames"/> frames. WAL bytes: the WAL's
/// size, with no checkpoint.
/// </summary>
public static class StoreShare
{
    /// <summary>The per-sample journal migration 071 dropped, for the "per sample" layout.</summary>
    private static readonly TrafficJournal PerSample = new("meter_values", "bench_meter_values_journal", "meter_values_all",
    [
        "id", "customerId", "created", "updated", "chargePointId", "connectorId", "connector", "networkId", "chargingSessionId",
        "transactionId", "vehicleId", "timestamp", "measurand", "phase", "unit", "context", "format", "location", "value",
    ]);

    /// <summary>Frames the log writes at a time: about a second of them at the host's ceiling.</summary>
    private const int LogFlushFrames = 20_000;

    public static async Task RunAsync(int messages)
    {
        // Warm-up of both layouts (JIT, SQLite's code), not counted: else the first variant pays for it.
        foreach (var perReading in new[] { false, true }) await RunOneAsync(Math.Min(messages, 10_000), 2, perReading, print: false);
        foreach (var samples in new[] { 2, 10 })
            foreach (var perReading in new[] { false, true })
                await RunOneAsync(messages, samples, perReading, print: true);
    }

    private static async Task RunOneAsync(int messages, int samples, bool perReading, bool print)
    {
        var dir = Path.Combine(Path.GetTempPath(), "ampcms-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "ampcms.db");
        var name = $"{samples,2} samples, per {(perReading ? "reading" : "sample (before 071)")}";
        try
        {
            await new Database(path).MigrateAsync();
            var every = new JournalMoverOptions().MoveRows / (perReading ? 1 : samples);
            var r = await WriteAsync(path, messages, samples, perReading, every);
            if (print) Console.WriteLine($"{name,-36}: {messages} messages, CPU {r.Cpu * 1e6 / messages,6:F0} µs/msg, wall {r.Wall * 1e6 / messages,6:F0} µs/msg, " +
                $"WAL written {r.WalBytes / messages,6:F0} B/msg (moved every {every} msgs: moves {r.MoveCpu * 1e6 / messages:F0} µs/msg, " +
                $"longest {r.LongestMove * 1e3:F1} ms, longest part {r.LongestPart * 1e3:F1} ms)");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<(double Cpu, double Wall, double WalBytes, double LongestMove, double LongestPart, double MoveCpu)> WriteAsync(string path, int messages, int samples, bool perReading, int moveEvery)
    {
        using var conn = new SqliteConnection($"Data Source={path}");
        conn.Open();
        using (var pragma = conn.CreateCommand())
        {
            // As the host's group writer: WAL, synchronous=NORMAL, its page cache (no customer row, so no foreign keys); no
            // checkpoint, so the WAL's size is what the commits wrote.
            pragma.CommandText = "PRAGMA foreign_keys = OFF; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0; " +
                $"PRAGMA cache_size = -{Database.GroupCacheKib};";
            pragma.ExecuteNonQuery();
        }
        var meterJournal = perReading ? TrafficJournal.MeterReadings : PerSample;
        if (!perReading)
            using (var create = conn.CreateCommand())
            {
                create.CommandText = $"CREATE TABLE {PerSample.Journal} (seq INTEGER PRIMARY KEY, " +
                    string.Join(", ", PerSample.Columns.Select(c => $"\"{c}\"" + (c == "value" ? " REAL" : c is "connectorId" or "transactionId" ? " INTEGER" : " TEXT"))) + ")";
                create.ExecuteNonQuery();
            }
        var meter = Command(conn, meterJournal.InsertSql, meterJournal.Columns);
        var log = Command(conn, Cms.Core.Domain.Ocpp.OcppMessageLog.InsertSql, Cms.Core.Domain.Ocpp.OcppMessageLog.Columns);
        var frames = new List<Cms.Core.Domain.Ocpp.OcppMessageRecord>();
        // A charger's element: energy, then power, voltage and current per phase and so on.
        string[] measurands = ["Energy.Active.Import.Register", "Power.Active.Import", "Voltage", "Current.Import", "SoC", "Frequency", "Temperature"];
        var element = Enumerable.Range(0, samples).Select(k => new Sample(1000.0 + k, measurands[k % measurands.Length],
            k < 2 ? null : new[] { "L1", "L2", "L3" }[k % 3], k == 0 ? "Wh" : "W", "Sample.Periodic", "Raw", "Outlet")).ToList();
        const string body = """[2,"1","MeterValues",{"connectorId":1,"transactionId":7,"meterValue":[{"timestamp":"2026-01-01T00:00:00.000Z","sampledValue":[{"value":"7000","measurand":"Power.Active.Import","unit":"W"},{"value":"1234","measurand":"Energy.Active.Import.Register","unit":"Wh"}]}]}]""";
        var chargers = Enumerable.Range(0, 100).Select(_ => Guid.NewGuid().ToString()).ToArray();
        var sessions = Enumerable.Range(0, 100).Select(_ => Guid.NewGuid().ToString()).ToArray();
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var start = DateTimeOffset.UtcNow;
        var longestMove = 0.0;
        var longestPart = 0.0;
        var moveCpu = 0.0;
        var sinceMove = 0;
        for (var m = 0; m < messages;)
        {
            using (var tx = conn.BeginTransaction())
            {
                meter.Transaction = tx;
                log.Transaction = tx;
                for (var i = 0; i < 50 && m < messages; i++, m++, sinceMove++)
                {
                    var cp = chargers[m % 100];
                    var now = Cms.Core.Resources.Iso.Format(start.AddMilliseconds(m));
                    if (perReading)
                    {
                        // id, customerId, created, updated, chargePointId, connectorId, connector, networkId, chargingSessionId,
                        // transactionId, vehicleId, timestamp, samples
                        Set(meter, MeterReading.NewId(Guid.CreateVersion7().ToString()), "c", now, now, cp, 1L, cp + "-1", "network", sessions[m % 100],
                            7L, null, now, MeterReading.SamplesJson(element, 0, element.Count));
                        meter.ExecuteNonQuery();
                    }
                    else
                        foreach (var x in element)
                        {
                            // ... timestamp, measurand, phase, unit, context, format, location, value
                            Set(meter, Guid.CreateVersion7().ToString(), "c", now, now, cp, 1L, cp + "-1", "network", sessions[m % 100],
                                7L, null, now, x.Measurand, x.Phase, x.Unit, x.Context, x.Format, x.Location, x.Value + m);
                            meter.ExecuteNonQuery();
                        }
                    var at = start.AddMilliseconds(m);
                    frames.Add(new("c", cp, cp, at, "Charger", "Call", "MeterValues", m.ToString(), "ocpp1.6", body, null));
                    frames.Add(new("c", cp, cp, at, "AmpCMS", "CallResult", "MeterValues", m.ToString(), "ocpp1.6", """[3,"1",{}]""", null));
                }
                if (frames.Count >= LogFlushFrames || m >= messages)
                {
                    var created = Cms.Core.Resources.Iso.Format(DateTimeOffset.UtcNow);
                    foreach (var b in Cms.Core.Domain.Ocpp.OcppMessageBatch.Of(frames, Cms.Core.Domain.Ocpp.OcppMessageLog.MaxBatchFrames))
                    {
                        // id, customerId, created, chargePointId, ocppId, protocol, first, last, size, frames
                        Set(log, Cms.Core.Domain.Ocpp.OcppMessageBatch.NewId(Guid.CreateVersion7().ToString()), b.CustomerId, created, b.ChargePointId,
                            b.OcppId, b.Protocol, Cms.Core.Resources.Iso.Format(b.First), Cms.Core.Resources.Iso.Format(b.Last), (long)b.Frames.Count, b.FramesJson());
                        log.ExecuteNonQuery();
                    }
                    frames.Clear();
                }
                tx.Commit();
            }
            if (sinceMove >= moveEvery || m >= messages)
            {
                var t = Stopwatch.StartNew();
                process.Refresh();
                var moveCpu0 = process.TotalProcessorTime;
                // What Database.MoveJournalsAsync runs: each part in its own transaction (nothing is appended between them here).
                foreach (var j in new[] { meterJournal })
                {
                    TrafficJournal.MovePlan? plan = null;
                    do
                    {
                        var part = Stopwatch.StartNew();
                        using var tx = conn.BeginTransaction();
                        (_, plan) = await j.MovePartAsync(conn, tx, Database.MovePartRows, plan);
                        tx.Commit();
                        longestPart = Math.Max(longestPart, part.Elapsed.TotalSeconds);
                    } while (plan is not null);
                }
                longestMove = Math.Max(longestMove, t.Elapsed.TotalSeconds);
                process.Refresh();
                moveCpu += (process.TotalProcessorTime - moveCpu0).TotalSeconds;
                sinceMove = 0;
            }
        }
        var elapsed = wall.Elapsed.TotalSeconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
        return (cpu, elapsed, new FileInfo(path + "-wal").Length, longestMove, longestPart, moveCpu);
    }

    private static SqliteCommand Command(SqliteConnection conn, string sql, IEnumerable<string> names)
    {
        var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        foreach (var n in names) cmd.Parameters.Add(new SqliteParameter("@" + n, DBNull.Value));
        cmd.Prepare();
        return cmd;
    }

    private static void Set(SqliteCommand cmd, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
    }
}
