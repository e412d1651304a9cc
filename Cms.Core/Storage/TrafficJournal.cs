using System.Data.Common;
using Dapper;

namespace Cms.Core.Storage;

/// <summary>
/// Where charger traffic (meter values, the OCPP message log) is written, and how it reaches its indexed table
/// (migration 041). A commit appends rows to a journal table keyed only by an increasing seq: it dirties the journal's
/// last pages and nothing else. <see cref="MoveAsync"/> then moves the journal's rows into the indexed table in large
/// batches, so each per-charger index page is written once per batch, not once per message. Readers read
/// <see cref="ReadView"/> (indexed table UNION ALL journal): a row is visible from its commit on, wherever it is.
/// </summary>
public sealed record TrafficJournal(string Table, string Journal, string ReadView, IReadOnlyList<string> Columns)
{
    public static readonly TrafficJournal MeterValues = new("meter_values", "meter_values_journal", "meter_values_all",
    [
        "id", "customerId", "created", "updated", "chargePointId", "connectorId", "connector", "networkId", "chargingSessionId",
        "transactionId", "vehicleId", "timestamp", "measurand", "phase", "unit", "context", "format", "location", "value",
    ]);

    public static readonly TrafficJournal OcppMessages = new("ocpp_messages", "ocpp_messages_journal", "ocpp_messages_all",
        ["id", "customerId", "created", "chargePointId", "ocppId", "timestamp", "source", "messageType", "operationType", "messageId", "protocol", "body", "url"]);

    public static readonly IReadOnlyList<TrafficJournal> All = [MeterValues, OcppMessages];

    private string ColumnList => string.Join(", ", Columns.Select(Quote));

    /// <summary>The hot write: one row into the journal (seq is numbered by the store).</summary>
    public string InsertSql => InsertInto(Journal);

    /// <summary>
    /// Where this store's hot writes go: the journal on SQLite. PostgreSQL writes the indexed table directly: its WAL
    /// logs each index entry, not each touched page, so the journal would only double its writes (bench --cluster:
    /// 554–622 persisted MeterValues/s through the journal against 708–731 direct, one pair).
    /// </summary>
    public string InsertSqlFor(Database db) => db.Dialect.IsPostgres ? InsertInto(Table) : InsertSql;

    private string InsertInto(string table) => $"INSERT INTO {table} ({ColumnList}) VALUES ({string.Join(", ", Columns.Select(c => "@" + c))})";

    /// <summary>
    /// Moves the journal's rows into the indexed table, in the caller's write transaction (which must be one that no
    /// other writer runs beside: on PostgreSQL the writers' lock taken exclusively), so a crash leaves each row in exactly
    /// one of the two. It copies them in pieces of <paramref name="pieceRows"/> (by seq) and asks <paramref name="giveWay"/>
    /// after each: when it says yes, the rows copied so far are deleted from the journal (so the caller may commit) and
    /// the move stops there. A move that runs to the end empties the journal with one DELETE without WHERE, which SQLite
    /// does by freeing its pages whole: no row was appended behind the last one copied.
    /// </summary>
    /// <returns>The rows moved, and whether the journal was emptied (false: it gave way).</returns>
    public async Task<(int Moved, bool Done)> MoveAsync(DbConnection conn, DbTransaction tx, int pieceRows, Func<bool> giveWay)
    {
        var (first, last) = await conn.QuerySingleAsync<(long? First, long? Last)>($"SELECT MIN(seq), MAX(seq) FROM {Journal}", transaction: tx);
        if (first is null || last is null) return (0, true);
        var moved = 0;
        for (var copied = first.Value - 1; copied < last.Value;)
        {
            var upTo = Math.Min(last.Value, copied + pieceRows);
            moved += await conn.ExecuteAsync($"INSERT INTO {Table} ({ColumnList}) SELECT {ColumnList} FROM {Journal} " +
                "WHERE seq > @copied AND seq <= @upTo ORDER BY seq", new { copied, upTo }, tx);
            copied = upTo;
            if (copied < last.Value && giveWay())
            {
                await conn.ExecuteAsync($"DELETE FROM {Journal} WHERE seq <= @copied", new { copied }, tx);
                return (moved, false);
            }
        }
        await conn.ExecuteAsync($"DELETE FROM {Journal}", transaction: tx);
        return (moved, true);
    }

    private static string Quote(string name) => "\"" + name + "\"";
}
