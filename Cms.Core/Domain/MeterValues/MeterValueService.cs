using System.Data.Common;
using Cms.Core.Auth;
using Cms.Core.Domain.ChargePoints;
using Cms.Core.Domain.HotPath;
using Cms.Core.Domain.Sessions;
using Cms.Core.Resources;
using Cms.Core.Storage;
using Dapper;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.MeterValues;

/// <summary>
/// Meter values: a batch is stored in one transaction, linked to the session it belongs to, and keeps that session's
/// currentChargingLoad (kW) and energy (kWh) current. Publishes <see cref="NetworkChanged"/> when a batch moves a session's measured power.
/// </summary>
public sealed class MeterValueService(CoreContext core) : ResourceService(core, MeterValueResource.Spec)
{
    private readonly bool _vehiclesTable = VehicleLink.TableExists(core.Db);

    private static readonly IReadOnlyList<string> Columns = TrafficJournal.MeterReadings.Columns;

    /// <summary>Into the journal: cheap to commit, read at once through the view (see <see cref="TrafficJournal"/>).</summary>
    private readonly string _insertSql = TrafficJournal.MeterReadings.InsertSqlFor(core.Db);

    private readonly HotPathCache _cache = HotPathCache.For(core.Db);

    private readonly DeferredReadings? _deferred = DeferredReadings.For(core.Db);

    public override async Task<JObject> CreateAsync(Caller caller, JToken? body)
    {
        var request = MeterValuesRequest.Parse(body);
        var stored = await RecordAsync(caller.CustomerId, request);
        return Render(request, stored);
    }

    /// <summary>
    /// The one place meter values are stored, for REST and chargers alike: linked to the charge point, connector and
    /// session they belong to, in the next group commit (see <see cref="Database.GroupWriteAsync{T}"/>). Completes once
    /// committed. In steady state it reads nothing: charge point, connector and session come from <see cref="HotPathCache"/>.
    /// </summary>
    public Task<MeterValuesStored> RecordAsync(string customerId, MeterValuesRequest request) => RecordAsync(customerId, request, Now);

    /// <summary>A charger's readings: acknowledged before their commit when the cache knows where they belong
    /// (<see cref="TryAcknowledge"/>), else as <see cref="RecordAsync(string, MeterValuesRequest)"/>. REST keeps the
    /// awaited path: an integrator's POST is rare, and its answer shows the batch as stored.</summary>
    public ValueTask<MeterValuesStored> RecordFromChargerAsync(string customerId, MeterValuesRequest request)
    {
        var now = Now;
        if (TryAcknowledge(customerId, request, now) is not { } acknowledged) return new(RecordAsync(customerId, request, now));
        Publish(customerId, acknowledged.Stored, acknowledged.PowerMoved, power: null); // PowerMeasured: after the flush
        return new(acknowledged.Stored);
    }

    private async Task<MeterValuesStored> RecordAsync(string customerId, MeterValuesRequest request, DateTimeOffset now)
    {
        var (stored, powerMoved, power) = await Db.GroupWriteAsync(async (conn, tx) =>
        {
            if (request.VehicleId is { } vehicleId && !await VehicleLink.ExistsAsync(conn, tx, _vehiclesTable, customerId, vehicleId))
                throw ApiFailure.Invalid("vehicleId", $"vehicle {vehicleId} does not exist");
            var (chargePointId, connector, networkId) = await WhereAsync(conn, tx, customerId, request);
            var session = await FindSessionAsync(conn, tx, customerId, chargePointId, connector.Id, request.TransactionId);
            var vehicle = request.VehicleId ?? session?.VehicleId;
            var transactionId = request.TransactionId ?? session?.TransactionId;

            await InsertAsync(conn, tx, request, customerId, Iso.Format(now), chargePointId, connector, networkId, session?.Id, transactionId, vehicle);
            var (powerMoved, measured) = session is not null ? await UpdateSessionAsync(conn, tx, session, request.MeterValues, now) : default;
            var power = measured is { } m ? new PowerMeasured(customerId, networkId, chargePointId, connector.Id, session!.Id, m.Kw, m.At) : null;
            return (new MeterValuesStored(chargePointId, connector.Number, networkId, vehicle, transactionId, session?.Id), powerMoved, power);
        });
        Publish(customerId, stored, powerMoved, power);
        return stored;
    }

    private void Publish(string customerId, MeterValuesStored stored, bool powerMoved, PowerMeasured? power)
    {
        // Alerts compare it with the limit in force (in memory, off this path).
        if (power is not null) Core.Events.Publish(power);
        // Replanning on every reading would make a busy site replan many times a second for nothing: only a real change
        // of measured power matters between the 15-minute boundaries.
        if (powerMoved) Core.Events.Publish(new NetworkChanged(customerId, stored.NetworkId, "measured power changed"));
    }

    /// <summary>
    /// A charger's readings whose charge point, connector and session the cache knows (steady state, so nothing about
    /// them can fail) are acknowledged before their commit (<see cref="DeferredReadings"/>): logged durably, the cached
    /// session updated as the main path would, and stored by the next flush. Null: take the main path.
    /// </summary>
    private (MeterValuesStored Stored, bool PowerMoved)? TryAcknowledge(string customerId, MeterValuesRequest request, DateTimeOffset now)
    {
        if (_deferred is not { HasRoom: true } || request.VehicleId is not null || request.ChargePointId is not { } chargePointId) return null;
        if (!_cache.TryNetworkOf(customerId, chargePointId, out var networkId) || !_cache.TryConnector(chargePointId, request.Connector!, out var connector))
            return null;
        if (!TryCachedSession(chargePointId, connector.Id, request.TransactionId, out var session)) return null;
        var transactionId = request.TransactionId ?? session?.TransactionId;
        var vehicle = session?.VehicleId;
        var rows = ReadingRows(request.MeterValues);
        var (powerMoved, measured, registers) = session is null ? default : Measure(session, request.MeterValues);
        var change = new SessionChange(registers?.Low, registers?.High, measured?.Kw, measured is { } m ? Iso.Format(m.At) : null);
        var power = measured is { } taken ? new PowerMeasured(customerId, networkId, chargePointId, connector.Id, session!.Id, taken.Kw, taken.At) : null;
        _deferred.Acknowledge(new DeferredReading(customerId, chargePointId, connector.Number, connector.Id, networkId, session?.Id,
            transactionId, vehicle, Iso.Format(now), rows, change)
        {
            // After the commit, as on the awaited path, and from the pool thread that saw it: published here, each one
            // would wake a pool thread for the alert engine's reader.
            Committed = power is null ? null : () => Core.Events.Publish(power),
        });
        if (session is not null) Remember(session, measured, registers, change.At);
        return (new MeterValuesStored(chargePointId, connector.Number, networkId, vehicle, transactionId, session?.Id), powerMoved);
    }

    /// <summary>The session <see cref="FindSessionAsync"/> would find, if the cache alone can say (false: it cannot).</summary>
    private bool TryCachedSession(string chargePointId, string? connectorId, long? transactionId, out SessionState? session)
    {
        session = null;
        if (transactionId is { } t)
        {
            if (!_cache.TryByTransaction(chargePointId, t, out var byTransaction)) return false;
            if (OnConnector(byTransaction, connectorId))
            {
                session = byTransaction;
                return true;
            }
        }
        if (connectorId is null) return true;
        if (!_cache.TryOpenSession(connectorId, out var open)) return false;
        session = OpenFor(open, transactionId);
        return true;
    }

    /// <summary>The spec: one of network, chargepoint, vehicle or connector, and both start and end, are required.</summary>
    public override Task<(List<JObject> Items, long Total)> ListAsync(Caller caller, ListRequest request)
    {
        if (!MeterValueResource.ScopeParams.Any(request.Filters.ContainsKey))
            throw ApiFailure.BadRequest("network", "one of network, chargepoint, vehicle or connector is required");
        foreach (var param in new[] { "start", "end" })
            if (!request.Filters.ContainsKey(param)) throw ApiFailure.BadRequest(param, "is required");
        if (Filters.ParseTime("end", request.Filters["end"][^1]) < Filters.ParseTime("start", request.Filters["start"][^1]))
            throw ApiFailure.BadRequest("end", "must not be before start");
        return base.ListAsync(caller, request);
    }

    public override Task<JObject> UpdateAsync(Caller caller, string id, JToken? body) =>
        throw ApiFailure.BadRequest("id", "meter values cannot be changed");

    public override Task<JObject> DeleteAsync(Caller caller, string id) =>
        throw ApiFailure.BadRequest("id", "meter values cannot be deleted");

    /// <summary>The charge point, connector and network the values come from: as sent, or where the vehicle is charging now.</summary>
    private async Task<(string ChargePointId, ConnectorRef Connector, string NetworkId)> WhereAsync(DbConnection conn, DbTransaction tx,
        string customerId, MeterValuesRequest request)
    {
        if (request.ChargePointId is { } chargePointId)
        {
            if (!_cache.TryNetworkOf(customerId, chargePointId, out var networkId))
            {
                var chargePoint = await RequireReferenceAsync(conn, tx, ChargePointResource.Spec, customerId, "chargePointId", chargePointId);
                networkId = chargePoint.Str("networkId")!;
                _cache.SetNetworkOf(customerId, chargePointId, networkId);
            }
            if (!_cache.TryConnector(chargePointId, request.Connector!, out var connector))
            {
                connector = await ConnectorRef.ResolveAsync(conn, tx, customerId, chargePointId, request.Connector!, allowMainMeter: true);
                _cache.SetConnector(chargePointId, request.Connector!, connector);
            }
            return (chargePointId, connector, networkId);
        }
        var where = await conn.QueryFirstOrDefaultAsync<(string ChargePointId, string ConnectorId, long Number, string NetworkId)?>(
            "SELECT chargePointId, connectorId, connectorNumber, networkId FROM charging_sessions_live " +
            "WHERE customerId = @customerId AND vehicleId = @vehicleId ORDER BY sessionStart DESC LIMIT 1",
            new { customerId, vehicleId = request.VehicleId }, tx)
            ?? throw ApiFailure.Invalid("vehicleId", "vehicle has no active charging session; send chargePointId and connectorId");
        return (where.ChargePointId, new ConnectorRef(where.ConnectorId, where.Number), where.NetworkId);
    }

    private const string SessionColumns =
        "id AS Id, connectorId AS ConnectorId, sessionEnd AS SessionEnd, vehicleId AS VehicleId, transactionId AS TransactionId, meterStart AS MeterStart, " +
        "firstMeterRegister AS FirstMeterRegister, lastMeterRegister AS LastMeterRegister, currentChargingLoadAt AS CurrentChargingLoadAt, " +
        "currentChargingLoad AS CurrentChargingLoad";

    /// <summary>
    /// With a transactionId: that transaction's session on this charge point (late values of an ended one included), else
    /// the connector's open session if it has no transactionId yet. Without: the connector's open session. Else none.
    /// Answered from <see cref="HotPathCache"/> when it knows; what the store says is remembered there.
    /// </summary>
    private async Task<SessionState?> FindSessionAsync(DbConnection conn, DbTransaction tx, string customerId,
        string chargePointId, string? connectorId, long? transactionId)
    {
        if (transactionId is { } t)
        {
            if (!_cache.TryByTransaction(chargePointId, t, out var byTransaction))
            {
                // Cached per charge point and transaction, whatever the connector: the connector is checked below.
                byTransaction = (await conn.QueryFirstOrDefaultAsync<SessionState>(
                    $"SELECT {SessionColumns} FROM charging_sessions WHERE customerId = @customerId AND chargePointId = @chargePointId " +
                    "AND transactionId = @transactionId ORDER BY sessionStart DESC LIMIT 1",
                    new { customerId, chargePointId, transactionId }, tx))!;
                if (byTransaction is not null) _cache.SetByTransaction(chargePointId, t, byTransaction);
            }
            if (byTransaction is not null && OnConnector(byTransaction, connectorId)) return byTransaction;
        }
        if (connectorId is null) return null;
        if (!_cache.TryOpenSession(connectorId, out var open))
        {
            open = await conn.QueryFirstOrDefaultAsync<SessionState>(
                $"SELECT {SessionColumns} FROM charging_sessions_live WHERE connectorId = @connectorId", new { connectorId }, tx);
            _cache.SetOpenSession(connectorId, open);
        }
        return OpenFor(open, transactionId);
    }

    /// <summary>A transaction's session belongs to these readings if they name no connector or the same one.</summary>
    private static bool OnConnector(SessionState session, string? connectorId) => connectorId is null || session.ConnectorId == connectorId;

    /// <summary>The connector's open session takes readings without a transactionId, or any while it has none itself.</summary>
    private static SessionState? OpenFor(SessionState? open, long? transactionId) =>
        open is not null && (transactionId is null || open.TransactionId is null) ? open : null;

    /// <summary>One row per meterValue element (a reading, <see cref="MeterReading"/>), all through one prepared statement
    /// (<see cref="HotStatements"/>): parse and plan once, bind and step per reading. Column order as in <see cref="Columns"/>.</summary>
    private async Task InsertAsync(DbConnection conn, DbTransaction tx, MeterValuesRequest request, string customerId, string now,
        string chargePointId, ConnectorRef connector, string networkId, string? sessionId, long? transactionId, string? vehicleId)
    {
        // Prepared once per connection: the group-commit writer's connection lives as long as the writer.
        var insert = conn.Hot(tx, _insertSql, Columns);
        var rows = ReadingRows(request.MeterValues);
        insert.Text(1, customerId); insert.Text(2, now); insert.Text(3, now); insert.Text(4, chargePointId);
        insert.Integer(5, connector.Number); insert.Text(6, connector.Id); insert.Text(7, networkId); insert.Text(8, sessionId);
        insert.Integer(9, transactionId); insert.Text(10, vehicleId);
        foreach (var row in rows)
        {
            insert.Text(0, row.Id);
            insert.Text(11, row.Timestamp);
            insert.Text(12, row.Samples);
            await insert.RunAsync();
        }
        Db.JournalRowsAppended(rows.Count);
    }

    /// <summary>The meter_readings rows of a batch: one per meterValue element, or several parts of
    /// <see cref="MeterReading.MaxSamples"/> samples each (see <see cref="MeterReading"/>).</summary>
    private List<ReadingRow> ReadingRows(IReadOnlyList<MeterValue> meterValues)
    {
        var rows = new List<ReadingRow>(meterValues.Count);
        for (var i = 0; i < meterValues.Count; i++)
        {
            var meterValue = meterValues[i];
            var id = Core.Ids.NewId();
            var timestamp = Iso.Format(meterValue.Timestamp);
            for (var part = 0; part * MeterReading.MaxSamples < meterValue.Samples.Count; part++)
            {
                var from = part * MeterReading.MaxSamples;
                rows.Add(new ReadingRow(MeterReading.NewId(id, part), timestamp,
                    MeterReading.SamplesJson(meterValue.Samples, from, Math.Min(MeterReading.MaxSamples, meterValue.Samples.Count - from))));
            }
        }
        return rows;
    }

    /// <summary>
    /// The newest Power.Active.Import becomes currentChargingLoad (open sessions only; an older batch never overwrites a
    /// newer reading). Energy.Active.Import.Register readings move the lowest/highest register seen, and energy charged is
    /// highest − (meterStart, else lowest).
    /// </summary>
    /// <returns>Whether the measured power moved by more than max(1 kW, 10 %), the change that can alter a plan; and the newest reading taken.</returns>
    private static async Task<(bool PowerMoved, (DateTimeOffset At, double Kw)? Measured)> UpdateSessionAsync(DbConnection conn, DbTransaction tx,
        SessionState session, IReadOnlyList<MeterValue> meterValues, DateTimeOffset now)
    {
        var (powerMoved, measured, registers) = Measure(session, meterValues);
        if (measured is null && registers is null) return (false, measured);

        var shape = SessionUpdates[(measured is null ? 0 : 1) | (registers is null ? 0 : 2)];
        var update = conn.Hot(tx, shape.Sql, shape.Parameters);
        var i = 0;
        if (measured is { } m)
        {
            update.Real(i++, m.Kw);
            update.Text(i++, Iso.Format(m.At));
        }
        if (registers is { } r)
        {
            var first = Math.Min(session.FirstMeterRegister ?? double.MaxValue, r.Low);
            var last = Math.Max(session.LastMeterRegister ?? double.MinValue, r.High);
            update.Real(i++, first);
            update.Real(i++, last);
            update.Real(i++, Math.Max(0, last - (session.MeterStart ?? first)));
        }
        update.Text(i++, Iso.Format(now));
        update.Text(i, session.Id);
        await update.RunAsync();
        // The cached session follows its row (the UPDATE was this item's last statement).
        Remember(session, measured, registers);
        return (powerMoved, measured);
    }

    /// <summary>What a batch changes in its session: the newest Power.Active.Import, if the session is open and nothing
    /// newer was taken, and whether it moved by more than max(1 kW, 10 %); the lowest and highest energy register.</summary>
    private static (bool PowerMoved, (DateTimeOffset At, double Kw)? Measured, (double Low, double High)? Registers) Measure(
        SessionState session, IReadOnlyList<MeterValue> meterValues)
    {
        var powerMoved = false;
        (DateTimeOffset At, double Kw)? measured = null;
        if (session.SessionEnd is null)
        {
            (DateTimeOffset Timestamp, double? Kw) newest = default; // the first of the newest, as a stable sort would pick
            for (var i = 0; i < meterValues.Count; i++) // indexed: a foreach boxes the list's enumerator, per message
                if (meterValues[i] is var mv && MeterMath.PowerKw(mv.Samples) is { } reading && (newest.Kw is null || mv.Timestamp > newest.Timestamp))
                    newest = (mv.Timestamp, reading);
            if (newest.Kw is { } kw && (session.CurrentChargingLoadAt is null || newest.Timestamp >= Iso.Parse(session.CurrentChargingLoadAt)))
            {
                measured = (newest.Timestamp, kw);
                var before = session.CurrentChargingLoad;
                powerMoved = before is null || Math.Abs(kw - before.Value) > Math.Max(1.0, 0.1 * before.Value);
            }
        }
        (double Low, double High)? registers = null;
        for (var i = 0; i < meterValues.Count; i++)
            if (MeterMath.RegisterKwh(meterValues[i].Samples) is { } kwh)
                registers = registers is { } seen ? (Math.Min(seen.Low, kwh), Math.Max(seen.High, kwh)) : (kwh, kwh);
        return (powerMoved, measured, registers);
    }

    /// <summary>The cached session takes what its row now holds (or will, once a deferred reading is flushed).</summary>
    /// <param name="measuredAt">The measured power's time as text, when the caller has it already.</param>
    private static void Remember(SessionState session, (DateTimeOffset At, double Kw)? measured, (double Low, double High)? registers,
        string? measuredAt = null)
    {
        if (measured is { } taken)
        {
            session.CurrentChargingLoad = taken.Kw;
            session.CurrentChargingLoadAt = measuredAt ?? Iso.Format(taken.At);
        }
        if (registers is { } r)
        {
            session.FirstMeterRegister = Math.Min(session.FirstMeterRegister ?? double.MaxValue, r.Low);
            session.LastMeterRegister = Math.Max(session.LastMeterRegister ?? double.MinValue, r.High);
        }
    }

    /// <summary>The session UPDATE per column set, by (power taken ? 1 : 0) | (registers seen ? 2 : 0): the columns bound in
    /// this order, then now and id. Each SQL text is prepared once per connection.</summary>
    private static readonly (string Sql, IReadOnlyList<string> Parameters)[] SessionUpdates =
    [
        default,
        SessionUpdate("currentChargingLoad", "currentChargingLoadAt"),
        SessionUpdate("firstMeterRegister", "lastMeterRegister", "energyConsumed"),
        SessionUpdate("currentChargingLoad", "currentChargingLoadAt", "firstMeterRegister", "lastMeterRegister", "energyConsumed"),
    ];

    private static (string Sql, IReadOnlyList<string> Parameters) SessionUpdate(params string[] columns) => (
        $"UPDATE charging_sessions SET {string.Join(", ", columns.Select(k => $"{ResourceStore.Quote(k)} = @{k}"))}, updated = @now WHERE id = @id",
        [.. columns, "now", "id"]);

    /// <summary>The tutorial's response: the batch as stored (defaults filled in), plus where it was linked.</summary>
    private static JObject Render(MeterValuesRequest request, MeterValuesStored stored) => new()
    {
        ["chargePointId"] = stored.ChargePointId,
        ["connectorId"] = stored.ConnectorNumber,
        ["vehicleId"] = stored.VehicleId,
        ["transactionId"] = stored.TransactionId,
        ["chargingSessionId"] = stored.SessionId,
        ["meterValues"] = new JArray(request.MeterValues.Select(mv => new JObject
        {
            ["timestamp"] = Iso.Format(mv.Timestamp),
            ["sampledValue"] = new JArray(mv.Samples.Select(s => new JObject
            {
                ["context"] = s.Context,
                ["format"] = s.Format,
                ["location"] = s.Location,
                ["measurand"] = s.Measurand,
                ["phase"] = s.Phase,
                ["unit"] = s.Unit,
                ["value"] = NumberToken(s.Value),
            })),
        })),
    };

    /// <summary>56790 stays 56790 (not 56790.0), as in the spec's example.</summary>
    public static JValue NumberToken(double value) =>
        value % 1 == 0 && Math.Abs(value) < 9e15 ? new JValue((long)value) : new JValue(value);
}
