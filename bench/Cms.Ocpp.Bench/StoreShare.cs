using System.Diagnostics;
using Cms.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Cms.Ocpp.Bench;

/// <summary>
/// `--store`: the SQLite CPU one MeterValues message costs in the store alone, on the real schema (migrations applied):
/// 2 meter_values rows and 2 ocpp_messages rows (request and answer) per message, 50 messages per transaction from 100
/// chargers, as the group commit writes them. Compares random (v4) ids with time-ordered (v7) ones: a random id lands
/// on a random page of the id index, so each row dirties a page the commit must write to the WAL.
/// </summary>
public static class StoreShare
{
    public static async Task RunAsync(int messages)
    {
        foreach (var (name, newId) in new (string, Func<string>)[]
                 { ("random ids (v4)", () => Guid.NewGuid().ToString()), ("time-ordered ids (v7)", () => Guid.CreateVersion7().ToString()) })
        {
            var dir = Path.Combine(Path.GetTempPath(), "ampcms-bench", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            var path = Path.Combine(dir, "ampcms.db");
            try
            {
                await new Database(path).MigrateAsync();
                var (cpu, wall, walBytes) = Write(path, messages, newId);
                Console.WriteLine($"{name,-22}: {messages} messages, CPU {cpu * 1e6 / messages,6:F0} µs/msg, wall {wall * 1e6 / messages,6:F0} µs/msg, " +
                    $"WAL written {walBytes / messages,6:F0} B/msg");
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    private static (double Cpu, double Wall, double WalBytes) Write(string path, int messages, Func<string> newId)
    {
        using var conn = new SqliteConnection($"Data Source={path}");
        conn.Open();
        using (var pragma = conn.CreateCommand())
        {
            // As the host: WAL, synchronous=NORMAL (no customer row, so no foreign keys); no checkpoint, so the WAL's size is what the commits wrote.
            pragma.CommandText = "PRAGMA foreign_keys = OFF; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0;";
            pragma.ExecuteNonQuery();
        }
        var meter = Command(conn, "INSERT INTO meter_values (id, customerId, created, updated, \"chargePointId\", \"connectorId\", \"connector\", " +
            "\"networkId\", \"chargingSessionId\", \"transactionId\", \"timestamp\", \"measurand\", \"unit\", \"value\") VALUES " +
            "(@id, 'c', @now, @now, @cp, 1, @connector, 'network', @session, 7, @now, @measurand, 'Wh', 1234)", "id", "now", "cp", "connector", "session", "measurand");
        var log = Command(conn, "INSERT INTO ocpp_messages (id, customerId, created, \"chargePointId\", \"ocppId\", \"timestamp\", \"source\", " +
            "\"messageType\", \"operationType\", \"messageId\", \"protocol\", \"body\") VALUES " +
            "(@id, 'c', @now, @cp, @cp, @now, 'Charger', 'Call', 'MeterValues', @messageId, 'ocpp1.6', @body)", "id", "now", "cp", "messageId", "body");
        const string body = """[2,"1","MeterValues",{"connectorId":1,"transactionId":7,"meterValue":[{"timestamp":"2026-01-01T00:00:00.000Z","sampledValue":[{"value":"7000","measurand":"Power.Active.Import","unit":"W"},{"value":"1234","measurand":"Energy.Active.Import.Register","unit":"Wh"}]}]}]""";
        var chargers = Enumerable.Range(0, 100).Select(_ => Guid.NewGuid().ToString()).ToArray();
        var sessions = Enumerable.Range(0, 100).Select(_ => Guid.NewGuid().ToString()).ToArray();
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var start = DateTimeOffset.UtcNow;
        for (var m = 0; m < messages;)
        {
            using var tx = conn.BeginTransaction();
            meter.Transaction = tx;
            log.Transaction = tx;
            for (var i = 0; i < 50 && m < messages; i++, m++)
            {
                var cp = chargers[m % 100];
                var now = Cms.Core.Resources.Iso.Format(start.AddMilliseconds(m));
                foreach (var measurand in (string[])["Power.Active.Import", "Energy.Active.Import.Register"])
                {
                    Set(meter, newId(), now, cp, cp + "-1", sessions[m % 100], measurand);
                    meter.ExecuteNonQuery();
                }
                Set(log, newId(), now, cp, m.ToString(), body);
                log.ExecuteNonQuery();
                Set(log, newId(), now, cp, m.ToString(), """[3,"1",{}]""");
                log.ExecuteNonQuery();
            }
            tx.Commit();
        }
        var elapsed = wall.Elapsed.TotalSeconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
        return (cpu, elapsed, new FileInfo(path + "-wal").Length);
    }

    private static SqliteCommand Command(SqliteConnection conn, string sql, params string[] names)
    {
        var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        foreach (var n in names) cmd.Parameters.Add(new SqliteParameter("@" + n, ""));
        cmd.Prepare();
        return cmd;
    }

    private static void Set(SqliteCommand cmd, params object[] values)
    {
        for (var i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i];
    }
}
