using System.Data.Common;
using System.Runtime.CompilerServices;
using Cms.Core.Resources;
using Cms.Core.Storage;

namespace Cms.Core.Domain.MeterValues;

/// <summary>
/// Charger readings acknowledged before their commit (SQLite only). A reading whose charge point, connector and session
/// <see cref="HotPath.HotPathCache"/> knows is written to the store's <see cref="AckLog"/> (durable from then on), buffered,
/// and answered at once; the buffer is committed once a second (or when it holds <see cref="FlushRows"/> rows, or when
/// anything else reads or writes the store: <see cref="Database.DeferredBarrierAsync"/>) in group-commit items of
/// about <see cref="PartRows"/> rows, whole charge points each (<see cref="CommitAsync"/>): the rows straight into
/// meter_readings in charge point order, so each of its per-charger index pages is written once per flush, and one
/// UPDATE per session. The charger no longer waits for the group commit, nor the store for a move.
/// A start commits what the log still holds (<see cref="RecoverAsync"/>): both steps are idempotent (rows by id, session
/// values as lowest/highest/newest), so a record committed before a crash may be applied again.
/// </summary>
public sealed class DeferredReadings : IDeferredWrites, IAsyncDisposable
{
    private static readonly ConditionalWeakTable<Database, DeferredReadings> PerStore = new();
    private const int FlushRows = 8_000;
    /// <summary>Rows per group-commit item of a flush (<see cref="CommitAsync"/>).</summary>
    private const int PartRows = 1_000;
    private static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(1);

    private readonly Database _db;
    private readonly AckLog _log;
    private readonly object _gate = new();
    private Buffer _buffer = new();
    private Task _lastFlush = Task.CompletedTask;
    private long _pending;
    private Timer? _timer;
    /// <summary>Messages a previous run left in the log (<see cref="TakeOver"/>).</summary>
    private int _recovered;

    private DeferredReadings(Database db, AckLog log)
    {
        _db = db;
        _log = log;
    }

    /// <summary>The store's deferred readings: null on PostgreSQL, or when another store object holds the log.</summary>
    public static DeferredReadings? For(Database db)
    {
        if (db.Dialect.IsPostgres) return null;
        lock (PerStore)
        {
            if (PerStore.TryGetValue(db, out var known)) return known;
            if (AckLog.TryOpen(db.Path) is not { } log) return null;
            var deferred = new DeferredReadings(db, log);
            deferred.TakeOver(log.ReadAll());
            PerStore.Add(db, deferred);
            db.UseDeferredWrites(deferred);
            return deferred;
        }
    }

    /// <summary>At start: commits what a run that stopped left in the log (its readings were acknowledged), before chargers
    /// connect. Returns how many messages' readings that was.</summary>
    public static async Task<int> RecoverAsync(Database db)
    {
        if (For(db) is not { } deferred) return 0;
        await deferred.FlushAsync();
        return deferred._recovered;
    }

    /// <summary>What a previous run left in the log becomes pending again, written afresh (a torn last record is dropped),
    /// so whatever touches the store first commits it.</summary>
    private void TakeOver(List<byte[]> records)
    {
        _recovered = records.Count;
        _log.Clear();
        foreach (var record in records) Acknowledge(DeferredReading.Decode(record));
    }

    public bool Pending => Interlocked.Read(ref _pending) > 0;

    /// <summary>Messages acknowledged and not yet committed beyond which readings take the awaited path again: when the
    /// writer falls behind, chargers wait for it as before, instead of the backlog (and everyone's barrier) growing.</summary>
    private const long MaxPending = 20_000;

    public bool HasRoom => Interlocked.Read(ref _pending) < MaxPending;

    /// <summary>Logs and buffers one message's readings; from its return on they are durable.</summary>
    public void Acknowledge(DeferredReading reading)
    {
        var record = reading.Encode();
        bool full;
        lock (_gate)
        {
            var file = _log.Append(record);
            _buffer.Add(reading, file);
            Interlocked.Increment(ref _pending);
            full = _buffer.Rows >= FlushRows;
            // Armed by the first reading of a buffer, so an idle store keeps no timer.
            if (_buffer.Count == 1) (_timer ??= new Timer(_ => _ = FlushQuietlyAsync())).Change(FlushEvery, Timeout.InfiniteTimeSpan);
        }
        if (full) _ = FlushQuietlyAsync();
    }

    public Task FlushAsync()
    {
        lock (_gate)
        {
            if (_buffer.Count == 0) return _lastFlush;
            var buffer = _buffer;
            _buffer = new Buffer();
            return _lastFlush = CommitAsync(buffer, _lastFlush);
        }
    }

    /// <summary>
    /// Commits a buffer in parts of about <see cref="PartRows"/> rows, whole charge points each, one group-commit item
    /// after the other: a charger's own write (a StatusNotification, a StartTransaction) queued meanwhile waits for one
    /// part, not for a second of every charger's readings (at 100 chargers flat out, a flush of 8,000 rows kept a
    /// StatusNotification's p99 at ~200 ms). A part that fails goes back into the buffer with those after it (still in
    /// the log; the next flush tries again). Completes once the flush before it has too, so a barrier waits for both.
    /// </summary>
    private async Task CommitAsync(Buffer buffer, Task before)
    {
        var now = Iso.Format(DateTimeOffset.UtcNow);
        var parts = buffer.Parts(PartRows);
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            try
            {
                await _db.GroupWriteUnorderedAsync((conn, tx) => ApplyAsync(conn, tx, part.Readings, now));
            }
            catch
            {
                lock (_gate)
                {
                    for (var k = parts.Count - 1; k >= i; k--) _buffer.Prepend(parts[k]);
                    _timer?.Change(FlushEvery, Timeout.InfiniteTimeSpan);
                }
                throw;
            }
            foreach (var (file, records) in part.PerFile()) _log.Committed(file, records);
            Interlocked.Add(ref _pending, -part.Count);
            foreach (var reading in part.Readings) reading.Committed?.Invoke();
        }
        // Its failure is its own awaiters' (its readings went back into the buffer): a flush after it waits, not fails.
        await before.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task FlushQuietlyAsync()
    {
        try { await FlushAsync(); }
        catch (Exception e) when (e is DbException or IOException or InvalidOperationException)
        {
            // Kept and retried by the next flush; a reader that needs them gets the error from its own barrier.
            Console.Error.WriteLine($"Deferred meter readings not stored yet (retried): {e.Message}");
        }
    }

    /// <summary>Commits what is buffered (what is not stays in the log for the next start), then lets the log go.</summary>
    public async ValueTask DisposeAsync()
    {
        await FlushQuietlyAsync();
        if (_timer is { } timer) await timer.DisposeAsync();
        _log.Dispose();
    }

    /// <summary>Session values as the main path keeps them (<see cref="MeterValueService"/>), but order-free: registers
    /// as lowest/highest, the load only if newer than the stored one and the session is open.</summary>
    private const string SessionSql =
        "UPDATE charging_sessions SET " +
        "firstMeterRegister = CASE WHEN @low IS NULL THEN firstMeterRegister ELSE MIN(COALESCE(firstMeterRegister, @low), @low) END, " +
        "lastMeterRegister = CASE WHEN @high IS NULL THEN lastMeterRegister ELSE MAX(COALESCE(lastMeterRegister, @high), @high) END, " +
        "energyConsumed = CASE WHEN @high IS NULL THEN energyConsumed ELSE MAX(0, MAX(COALESCE(lastMeterRegister, @high), @high) - " +
        "COALESCE(meterStart, MIN(COALESCE(firstMeterRegister, @low), @low))) END, " +
        "currentChargingLoad = CASE WHEN @kw IS NOT NULL AND sessionEnd IS NULL AND (currentChargingLoadAt IS NULL OR currentChargingLoadAt <= @at) " +
        "THEN @kw ELSE currentChargingLoad END, " +
        "currentChargingLoadAt = CASE WHEN @kw IS NOT NULL AND sessionEnd IS NULL AND (currentChargingLoadAt IS NULL OR currentChargingLoadAt <= @at) " +
        "THEN @at ELSE currentChargingLoadAt END, " +
        "updated = @now WHERE id = @id";

    private static readonly string[] SessionParameters = ["low", "high", "kw", "at", "now", "id"];

    private static async Task<int> ApplyAsync(DbConnection conn, DbTransaction tx, List<DeferredReading> readings, string now)
    {
        var insert = conn.Hot(tx, TrafficJournal.MeterReadings.InsertOrIgnoreSql, TrafficJournal.MeterReadings.Columns);
        DeferredReading? bound = null;
        foreach (var reading in readings) // in insert order (Buffer.Parts)
        {
            BindReading(insert, bound, reading);
            bound = reading;
            foreach (var row in reading.Rows)
            {
                insert.Text(0, row.Id); insert.Text(11, row.Timestamp); insert.Text(12, row.Samples);
                await insert.RunAsync();
            }
        }
        var update = conn.Hot(tx, SessionSql, SessionParameters);
        foreach (var (sessionId, change) in SessionChanges(readings))
        {
            update.Real(0, change.Low); update.Real(1, change.High); update.Real(2, change.Kw); update.Text(3, change.At);
            update.Text(4, now); update.Text(5, sessionId);
            await update.RunAsync();
        }
        return readings.Count;
    }

    /// <summary>Binds a reading's own columns, those that differ from the reading bound before (SQLite keeps a statement's
    /// values across its runs): a charger's readings share most of them, and binding text was 7 % of the group writer.</summary>
    private static void BindReading(HotStatement insert, DeferredReading? before, DeferredReading r)
    {
        if (before is null || before.CustomerId != r.CustomerId) insert.Text(1, r.CustomerId);
        if (before is null || before.Created != r.Created) { insert.Text(2, r.Created); insert.Text(3, r.Created); }
        if (before is null || before.ChargePointId != r.ChargePointId) insert.Text(4, r.ChargePointId);
        if (before is null || before.ConnectorNumber != r.ConnectorNumber) insert.Integer(5, r.ConnectorNumber);
        if (before is null || before.ConnectorId != r.ConnectorId) insert.Text(6, r.ConnectorId);
        if (before is null || before.NetworkId != r.NetworkId) insert.Text(7, r.NetworkId);
        if (before is null || before.SessionId != r.SessionId) insert.Text(8, r.SessionId);
        if (before is null || before.TransactionId != r.TransactionId) insert.Integer(9, r.TransactionId);
        if (before is null || before.VehicleId != r.VehicleId) insert.Text(10, r.VehicleId);
    }

    /// <summary>Each session's change over the buffer, merged in the order the readings came.</summary>
    private static Dictionary<string, SessionChange> SessionChanges(List<DeferredReading> readings)
    {
        var changes = new Dictionary<string, SessionChange>(StringComparer.Ordinal);
        foreach (var r in readings)
        {
            if (r.SessionId is not { } id || !r.Change.Any) continue;
            changes[id] = changes.TryGetValue(id, out var earlier) ? SessionChange.Merge(earlier, r.Change) : r.Change;
        }
        return changes;
    }

    /// <summary>Readings acknowledged and not yet flushed, and the log file of each.</summary>
    private sealed class Buffer
    {
        public readonly List<DeferredReading> Readings = [];
        private readonly List<int> _files = [];
        public int Rows;
        public int Count => Readings.Count;

        public void Add(DeferredReading reading, int file)
        {
            Readings.Add(reading);
            _files.Add(file);
            Rows += reading.Rows.Count;
        }

        /// <summary>How many of the readings each log file holds (counted once, at their commit).</summary>
        public IEnumerable<KeyValuePair<int, int>> PerFile() => _files.CountBy(file => file);

        public void Prepend(Buffer earlier)
        {
            Readings.InsertRange(0, earlier.Readings);
            _files.InsertRange(0, earlier._files);
            Rows += earlier.Rows;
        }

        /// <summary>
        /// The readings in insert order, cut into parts of whole charge points of about <paramref name="rows"/> rows: grouped
        /// by charge point (ordinal order), each charger's in the order they came, which is the order it took them in, so
        /// each per-charger index page is written once per part; a grouping, not a sort of every row (a sort was 7 % of
        /// the group writer's time under charger load). A charger's session is its own, so each part's session changes
        /// are its own too.
        /// </summary>
        public List<Buffer> Parts(int rows)
        {
            var byChargePoint = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (var i = 0; i < Readings.Count; i++)
            {
                if (!byChargePoint.TryGetValue(Readings[i].ChargePointId, out var own)) byChargePoint[Readings[i].ChargePointId] = own = [];
                own.Add(i);
            }
            var chargePoints = byChargePoint.Keys.ToArray();
            Array.Sort(chargePoints, StringComparer.Ordinal);
            var parts = new List<Buffer> { new() };
            foreach (var chargePoint in chargePoints)
            {
                if (parts[^1].Rows >= rows) parts.Add(new Buffer());
                foreach (var i in byChargePoint[chargePoint]) parts[^1].Add(Readings[i], _files[i]);
            }
            return parts;
        }
    }
}
