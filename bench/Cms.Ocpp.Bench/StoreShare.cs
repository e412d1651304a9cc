using System.Diagnostics;
using Cms.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Cms.Ocpp.Bench;

/// <summary>
/// `--store`: the SQLite CPU one MeterValues message costs in the store alone, on the real schema (migrations applied):
/// 2 meter_values rows and 2 ocpp_messages rows (request and answer) per message, 50 messages per transaction from 100
/// chargers, as the group commit writes them, with time-ordered ids. "direct" writes them into the indexed tables (as
/// before migration 041); "journal" is what the host runs: the rows go to the append-only journals
/// (<see cref="TrafficJournal.InsertSql"/>) and <see cref="TrafficJournal.MovePartAsync"/> moves them into the indexed tables
/// every N messages, in parts of <see cref="Database.MovePartRows"/> rows, each its own transaction; its CPU is counted,
/// and the longest part is what a writer queued behind a move waits for at most. WAL bytes: the WAL's size, with no checkpoint.
/// </summary>
public static class StoreShare
{
    public static async Task RunAsync(int messages)
    {
        var variants = new List<(string Name, bool Journal, int MoveEvery)> { ("direct (before 041)", false, 0) };
        // The host moves every JournalMoverOptions.MoveRows rows (4 rows a message here); a quarter and half of that for comparison.
        var hostEvery = new JournalMoverOptions().MoveRows / 4;
        foreach (var every in new[] { hostEvery / 4, hostEvery / 2, hostEvery }) variants.Add(($"journal, moved every {every}" + (every == hostEvery ? " (host)" : ""), true, every));
        foreach (var (name, journal, every) in variants)
        {
            var dir = Path.Combine(Path.GetTempPath(), "ampcms-bench", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            var path = Path.Combine(dir, "ampcms.db");
            try
            {
                await new Database(path).MigrateAsync();
                var r = await WriteAsync(path, messages, journal, every);
                Console.WriteLine($"{name,-33}: {messages} messages, CPU {r.Cpu * 1e6 / messages,6:F0} µs/msg, wall {r.Wall * 1e6 / messages,6:F0} µs/msg, " +
                    $"WAL written {r.WalBytes / messages,6:F0} B/msg" + (journal ? $" (moves {r.MoveCpu * 1e6 / messages:F0} µs/msg, longest {r.LongestMove * 1e3:F1} ms, longest part {r.LongestPart * 1e3:F1} ms)" : ""));
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    private static async Task<(double Cpu, double Wall, double WalBytes, double LongestMove, double LongestPart, double MoveCpu)> WriteAsync(string path, int messages, bool journal, int moveEvery)
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
        var meterSql = journal ? TrafficJournal.MeterValues.InsertSql : Direct(TrafficJournal.MeterValues);
        var logSql = journal ? TrafficJournal.OcppMessages.InsertSql : Direct(TrafficJournal.OcppMessages);
        var meter = Command(conn, meterSql, TrafficJournal.MeterValues.Columns);
        var log = Command(conn, logSql, TrafficJournal.OcppMessages.Columns);
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
                    foreach (var (measurand, value) in new[] { ("Power.Active.Import", 7000.0), ("Energy.Active.Import.Register", 1234.0 + m) })
                    {
                        // id, customerId, created, updated, chargePointId, connectorId, connector, networkId, chargingSessionId,
                        // transactionId, vehicleId, timestamp, measurand, phase, unit, context, format, location, value
                        Set(meter, Guid.CreateVersion7().ToString(), "c", now, now, cp, 1L, cp + "-1", "network", sessions[m % 100],
                            7L, null, now, measurand, null, measurand.StartsWith("Power") ? "W" : "Wh", null, null, null, value);
                        meter.ExecuteNonQuery();
                    }
                    // id, customerId, created, chargePointId, ocppId, timestamp, source, messageType, operationType, messageId, protocol, body, url
                    Set(log, Guid.CreateVersion7().ToString(), "c", now, cp, cp, now, "Charger", "Call", "MeterValues", m.ToString(), "ocpp1.6", body, null);
                    log.ExecuteNonQuery();
                    Set(log, Guid.CreateVersion7().ToString(), "c", now, cp, cp, now, "AmpCMS", "CallResult", "MeterValues", m.ToString(), "ocpp1.6", """[3,"1",{}]""", null);
                    log.ExecuteNonQuery();
                }
                tx.Commit();
            }
            if (journal && (sinceMove >= moveEvery || m >= messages))
            {
                var t = Stopwatch.StartNew();
                process.Refresh();
                var moveCpu0 = process.TotalProcessorTime;
                // What Database.MoveJournalsAsync runs: each part in its own transaction (nothing is appended between them here).
                foreach (var j in TrafficJournal.All)
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

    private static string Direct(TrafficJournal j) =>
        $"INSERT INTO {j.Table} ({string.Join(", ", j.Columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", j.Columns.Select(c => "@" + c))})";

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
