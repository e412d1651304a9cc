using System.Data.Common;
using Dapper;

namespace Cms.Core.Storage;

/// <summary>
/// Where charger traffic (meter readings; the OCPP message log until migration 072) is written, and how it reaches its indexed table
/// (migration 041). A commit appends rows to a journal table keyed only by an increasing seq: it dirties the journal's
/// last pages and nothing else. <see cref="MovePartAsync"/> then moves the journal's rows into the indexed table in large
/// batches, so each per-charger index page is written once per batch, not once per message. Readers read
/// <see cref="ReadView"/> (indexed table UNION ALL journal): a row is visible from its commit on, wherever it is.
/// </summary>
public sealed record TrafficJournal(string Table, string Journal, string ReadView, IReadOnlyList<string> Columns)
{
    /// <summary>Meter readings (migration 071): one row per meterValue element, its samples in one JSON column; read per
    /// sample, with the per-sample rows stored before 071, through meter_values_all.</summary>
    public static readonly TrafficJournal MeterReadings = new("meter_readings", "meter_readings_journal", "meter_values_all",
    [
        "id", "customerId", "created", "updated", "chargePointId", "connectorId", "connector", "networkId", "chargingSessionId",
        "transactionId", "vehicleId", "timestamp", "samples",
    ]);

    /// <summary>Every journal (the OCPP message log had one until migration 072 stored it in batches).</summary>
    public static readonly IReadOnlyList<TrafficJournal> All = [MeterReadings];

    private string ColumnList => string.Join(", ", Columns.Select(Quote));

    /// <summary>The hot write: one row into the journal (seq is numbered by the store).</summary>
    public string InsertSql => InsertInto(Journal);

    /// <summary>
    /// Where this store's hot writes go: the journal on SQLite. PostgreSQL writes the indexed table directly: its WAL
    /// logs each index entry, not each touched page, so the journal would only double its writes (bench --cluster:
    /// 554–622 persisted MeterValues/s through the journal against 708–731 direct, one pair).
    /// </summary>
    public string InsertSqlFor(Database db) => db.Dialect.IsPostgres ? InsertInto(Table) : InsertSql;

    /// <summary>Into the indexed table, skipping a row whose id is there already (SQLite): for writes that may be applied
    /// twice, such as the ack log's readings after a restart (<see cref="Domain.MeterValues.DeferredReadings"/>).</summary>
    public string InsertOrIgnoreSql => InsertInto(Table).Replace("INSERT INTO", "INSERT OR IGNORE INTO", StringComparison.Ordinal);

    private string InsertInto(string table) => $"INSERT INTO {table} ({ColumnList}) VALUES ({string.Join(", ", Columns.Select(c => "@" + c))})";

    /// <summary>
    /// Moves one part of the journal into the indexed table, in the caller's write transaction (which must be one that
    /// no other writer runs beside: on PostgreSQL the writers' lock taken exclusively). A move takes the rows committed
    /// when its first part ran (seq up to that part's last), one range of charge points per part, in the order of their
    /// ids, each part at least <paramref name="partRows"/> rows (whole charge points) or what is left. A part commits on
    /// its own, so a writer queued behind the move waits for one part; each per-charge-point index page is still written
    /// by one part only, as in a move done in one transaction. Copied rows stay in the journal until the last part:
    /// journal_moves (migration 070) says which, and the read views leave them out, so every commit shows each row once.
    /// The last part deletes the moved rows: with one DELETE without WHERE when nothing was appended meanwhile (SQLite
    /// frees the pages whole), else by seq. A move that stopped (a failed part, a crash) goes on from its last part.
    /// </summary>
    /// <param name="plan">What the previous part returned (saves planning again); used only if it is still the move under way.</param>
    /// <returns>The rows this part moved, and the parts still to do (null: the move is done, the journal holds only rows
    /// appended since it began).</returns>
    public async Task<(int Moved, MovePlan? Remaining)> MovePartAsync(DbConnection conn, DbTransaction tx, int partRows, MovePlan? plan = null)
    {
        var (movedTo, movedBelow) = await conn.QuerySingleAsync<(long? MovedTo, string? MovedBelow)>(
            "SELECT MAX(\"movedTo\"), MAX(\"movedBelow\") FROM journal_moves WHERE \"journal\" = @Journal", new { Journal }, tx);
        // The plan the previous part handed on, if it is the move under way; else one made now.
        if (plan is null || movedTo is null || plan.UpTo != movedTo || plan.Starts[0] != movedBelow)
        {
            var upTo = movedTo ?? await conn.ExecuteScalarAsync<long?>($"SELECT MAX(seq) FROM {Journal}", transaction: tx);
            if (upTo is null) return (0, null);
            plan = await PlanAsync(conn, tx, upTo.Value, movedBelow ?? "", partRows);
        }
        var from = plan.Starts[0];
        var below = plan.Starts.Count > 1 ? plan.Starts[1] : null; // null: this is the last part
        var moved = await conn.ExecuteAsync($"INSERT INTO {Table} ({ColumnList}) SELECT {ColumnList} FROM {Journal} " +
            $"WHERE seq <= @UpTo AND {Key} >= @from" + (below is null ? "" : $" AND {Key} < @below") + " ORDER BY seq",
            new { plan.UpTo, from, below }, tx);
        if (below is not null)
        {
            await conn.ExecuteAsync("INSERT INTO journal_moves (\"journal\", \"movedTo\", \"movedBelow\") VALUES (@Journal, @UpTo, @below) " +
                "ON CONFLICT (\"journal\") DO UPDATE SET \"movedTo\" = excluded.\"movedTo\", \"movedBelow\" = excluded.\"movedBelow\"",
                new { Journal, plan.UpTo, below }, tx);
            return (moved, plan with { Starts = plan.Starts.Skip(1).ToList() });
        }
        var last = await conn.ExecuteScalarAsync<long>($"SELECT MAX(seq) FROM {Journal}", transaction: tx);
        if (last == plan.UpTo) await conn.ExecuteAsync($"DELETE FROM {Journal}", transaction: tx);
        else await conn.ExecuteAsync($"DELETE FROM {Journal} WHERE seq <= @UpTo", new { plan.UpTo }, tx);
        if (movedTo is not null) await conn.ExecuteAsync("DELETE FROM journal_moves WHERE \"journal\" = @Journal", new { Journal }, tx);
        return (moved, null);
    }

    /// <summary>The parts of a move of the rows up to <paramref name="upTo"/>, from charge point <paramref name="from"/>
    /// on: where each starts (whole charge points, at least <paramref name="partRows"/> rows each but the last).</summary>
    private async Task<MovePlan> PlanAsync(DbConnection conn, DbTransaction tx, long upTo, string from, int partRows)
    {
        var keys = await conn.QueryAsync<(string Key, long Rows)>(
            $"SELECT {Key} AS k, COUNT(*) AS n FROM {Journal} WHERE seq <= @upTo AND {Key} >= @from GROUP BY {Key} ORDER BY 1",
            new { upTo, from }, tx);
        var starts = new List<string> { from };
        var rows = 0L;
        foreach (var (key, n) in keys)
        {
            if (rows >= partRows)
            {
                starts.Add(key);
                rows = 0;
            }
            rows += n;
        }
        return new MovePlan(upTo, starts);
    }

    /// <summary>A move under way: the last seq it takes, and the first charge point of each part still to do.</summary>
    public sealed record MovePlan(long UpTo, IReadOnlyList<string> Starts);

    /// <summary>What a move's parts are ranges of: the row's charge point ('' for none, as the message log's journal had;
    /// the read views of migrations 070 and 071 compare the same expression).</summary>
    private const string Key = "COALESCE(\"chargePointId\", '')";

    private static string Quote(string name) => "\"" + name + "\"";
}
