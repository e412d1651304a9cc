using System.Data.Common;
using Cms.Core.Auth;
using Cms.Core.Domain.IdTags;
using Cms.Core.Domain.MeterValues;
using Cms.Core.Domain.Sessions;
using Cms.Core.Resources;
using Dapper;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Ocpp.Stations;

/// <summary>
/// Transactions a station numbers itself (OCPP 2.0.1): its transaction id maps to one session, which gets a CSMS
/// integer transactionId too so meter values, stops and TxProfile delivery follow the same rules as 1.6. Events are
/// idempotent by seqNo: a repeat changes nothing, an older event never overwrites what a newer one set, and an event
/// that comes before its Started (offline replays) still finds or opens the one session.
/// </summary>
public sealed class StationTransactions(CoreContext core, SessionService sessions, ChargerTransactions transactions,
    TransactionIds transactionIds, ChargerStatus status, OcppEventLog events, ExternalChargingLimits limits)
{
    private sealed class Row
    {
        public string Id { get; set; } = "";
        public long? TransactionId { get; set; }
        public long ConnectorNumber { get; set; }
        public string? SessionEnd { get; set; }
        public string? SessionStart { get; set; }
        public string? IdTag { get; set; }
        public string? TransactionSeqNos { get; set; }
        public long? LastSeqNo { get; set; }
        public string? ChargingState { get; set; }
    }

    public const string CableLimitSource = "Cable";

    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, string> _stationIds = new();

    /// <summary>
    /// The station's own id of a CSMS transactionId (what a 2.0.1 TxProfile must name), null when the session was not
    /// opened by a TransactionEvent. Remembered once read: deliveries ask on every run.
    /// </summary>
    public async Task<string?> StationIdOfAsync(string chargePointId, long transactionId)
    {
        if (_stationIds.TryGetValue(transactionId, out var known)) return known;
        var stationId = await core.Db.ReadAsync(conn => conn.ExecuteScalarAsync<string?>(
            "SELECT stationTransactionId FROM charging_sessions WHERE chargePointId = @chargePointId AND transactionId = @transactionId",
            new { chargePointId, transactionId }));
        if (stationId is not null) _stationIds[transactionId] = stationId;
        return stationId;
    }

    public async Task<TransactionEventOutcome> HandleAsync(ChargerAdmitted charger, TransactionEvent e)
    {
        var verdict = e.IdTag is null ? null : await transactions.AuthorizeAsync(charger, e.IdTag);
        var session = await FindAsync(charger, e.StationTransactionId);
        var created = false;
        if (session is null)
        {
            if (e.EvseId is not > 0)
            {
                // The first event of a transaction must name its EVSE; without one there is no connector to charge on.
                await events.RecordAsync(charger.CustomerId, "Transaction", "Warning", charger.ChargePointId, charger.OcppId, charger.NetworkId,
                    $"TransactionEvent {e.Type} for unknown transaction {e.StationTransactionId} without an EVSE: acknowledged, not recorded as a session");
                return new TransactionEventOutcome(verdict, null, false);
            }
            session = await OpenAsync(charger, e, e.EvseId.Value, verdict);
            created = true;
        }
        else if (!await AbsorbAsync(session, e, verdict))
            return new TransactionEventOutcome(verdict, session.Id, true);

        var connector = (int)session.ConnectorNumber;
        // An offline transaction's Ended may carry more readings than one meter values batch takes.
        foreach (var batch in e.MeterValue.Chunk(MeterValuesRequest.MaxMeterValues))
            await transactions.MeterValuesAsync(charger, connector, session.TransactionId, new JArray(batch));
        var newest = created || e.SeqNo >= (session.LastSeqNo ?? long.MinValue);
        if (newest && e.ChargingState is { } state && session.SessionEnd is null && e.Type != TransactionEventType.Ended
            && (created || state != session.ChargingState))
            await status.StatusChangedAsync(charger, connector, ConnectorStatusOf(state), null, e.Timestamp);
        // The cable's rating caps the EVSE while this transaction runs (a limit of source "Cable", lifted when it ends).
        if (newest && e.CableMaxCurrentA is { } cableAmps && session.SessionEnd is null && e.Type != TransactionEventType.Ended)
            await limits.SetAsync(charger, connector, CableLimitSource, cableAmps, "A", null);
        if (e.Type == TransactionEventType.Ended && session.SessionEnd is null)
        {
            await CloseAsync(charger, session, e);
            await limits.ClearAsync(charger, CableLimitSource, connector);
        }
        // Seen only once everything took effect: a station that retries after a failure midway gets it all applied.
        await MarkSeenAsync(session.Id, e.SeqNo);
        return new TransactionEventOutcome(verdict, session.Id, false);
    }

    /// <summary>1.6's connector statuses are what the planner and the REST resources speak; chargingState maps onto them.</summary>
    public static string ConnectorStatusOf(string chargingState) => chargingState switch
    {
        "Charging" => "Charging",
        "SuspendedEV" => "SuspendedEV",
        "SuspendedEVSE" => "SuspendedEVSE",
        _ => "Preparing", // Idle: plugged in (or authorized), no energy offered yet
    };

    private Task<Row?> FindAsync(ChargerAdmitted charger, string stationTransactionId) =>
        core.Db.ReadAsync(conn => FindAsync(conn, null, charger.ChargePointId, stationTransactionId));

    private static Task<Row?> FindAsync(DbConnection conn, DbTransaction? tx, string chargePointId, string stationTransactionId) =>
        conn.QueryFirstOrDefaultAsync<Row?>(
            "SELECT id AS Id, transactionId AS TransactionId, connectorNumber AS ConnectorNumber, sessionEnd AS SessionEnd, " +
            "sessionStart AS SessionStart, idTag AS IdTag, transactionSeqNos AS TransactionSeqNos, lastSeqNo AS LastSeqNo, " +
            "chargingState AS ChargingState FROM charging_sessions WHERE chargePointId = @chargePointId AND stationTransactionId = @stationTransactionId",
            new { chargePointId, stationTransactionId }, tx);

    /// <summary>
    /// The transaction's first event we see opens its session, with the station's id and the seqNo in the same insert.
    /// An older open session on the connector is closed first, as for 1.6: the station says what is plugged in. As for
    /// 1.6, an event stamped after now starts the session now (its time stays ocppTransactionStart).
    /// </summary>
    private async Task<Row> OpenAsync(ChargerAdmitted charger, TransactionEvent e, int evseId, IdTagVerdict? verdict)
    {
        var caller = SystemCaller(charger);
        var open = await core.Db.ReadAsync(conn => conn.ExecuteScalarAsync<string?>(
            "SELECT id FROM charging_sessions_live WHERE chargePointId = @cp AND connectorNumber = @evseId", new { cp = charger.ChargePointId, evseId }));
        if (open is not null) await sessions.StopAsync(caller, open, transactionId: null);

        await status.EnsureConnectorAsync(charger, evseId);
        var transactionId = await transactionIds.NextAsync();
        _stationIds[transactionId] = e.StationTransactionId;
        var body = new JObject
        {
            ["chargePointId"] = charger.ChargePointId,
            ["connectorId"] = evseId,
            ["ocppTransactionStart"] = Iso.Format(e.Timestamp),
            ["transactionId"] = transactionId,
        };
        if (e.IdTag is not null) body["idTag"] = e.IdTag;
        if (e.Type == TransactionEventType.Started && MeterReadings.StartRegisterKwh(e.MeterValue) is { } meterStart) body["meterStart"] = meterStart;
        if (verdict?.VehicleId is not null) body["vehicleId"] = verdict.VehicleId;
        if (verdict?.Priority is { } priority) body["priority"] = priority;
        var row = await sessions.CreateAsync(caller, body, new Dictionary<string, object?>
        {
            ["stationTransactionId"] = e.StationTransactionId,
            ["evseId"] = (long)evseId,
            ["chargingState"] = e.ChargingState,
            ["remoteStartId"] = (long?)e.RemoteStartId,
            ["numberOfPhasesUsed"] = (long?)e.NumberOfPhasesUsed,
            ["lastSeqNo"] = e.SeqNo,
            ["sessionStart"] = transactions.NotAfterNow(e.Timestamp),
        });
        return new Row
        {
            Id = (string)row["id"]!, TransactionId = transactionId, ConnectorNumber = evseId, SessionStart = (string?)row["sessionStart"],
            IdTag = e.IdTag, LastSeqNo = e.SeqNo, ChargingState = e.ChargingState,
        };
    }

    /// <summary>
    /// A later (or late) event of a known transaction. False for a repeat (seqNo already seen). State fields follow only
    /// the newest seqNo; what can only be learnt once (idTag, remoteStartId, the Started's time and meter reading) is
    /// taken whenever it comes.
    /// </summary>
    private async Task<bool> AbsorbAsync(Row session, TransactionEvent e, IdTagVerdict? verdict)
    {
        if (SeqNoSet.Parse(session.TransactionSeqNos).Contains(e.SeqNo)) return false;
        var newer = e.SeqNo > (session.LastSeqNo ?? long.MinValue);
        var sets = new Dictionary<string, object?> { ["lastSeqNo"] = Math.Max(e.SeqNo, session.LastSeqNo ?? e.SeqNo) };
        if (newer && e.ChargingState is not null) sets["chargingState"] = e.ChargingState;
        if (newer && e.NumberOfPhasesUsed is { } phases) sets["numberOfPhasesUsed"] = (long)phases;
        if (e.RemoteStartId is { } remoteStartId) sets["remoteStartId"] = (long)remoteStartId;
        if (session.IdTag is null && e.IdTag is not null)
        {
            sets["idTag"] = e.IdTag;
            if (verdict?.VehicleId is not null) sets["vehicleId"] = verdict.VehicleId;
        }
        if (e.Type == TransactionEventType.Started)
        {
            // Started arrived after a later event opened the session: the transaction began at the Started's time.
            if (session.SessionStart is { } start && e.Timestamp < Iso.Parse(start))
            {
                sets["sessionStart"] = Iso.Format(e.Timestamp);
                sets["ocppTransactionStart"] = Iso.Format(e.Timestamp);
            }
            if (MeterReadings.StartRegisterKwh(e.MeterValue) is { } meterStart) sets["meterStart"] = meterStart;
        }
        var p = new DynamicParameters(sets);
        p.Add("id", session.Id);
        p.Add("now", Iso.Format(core.Clock.GetUtcNow()));
        await core.Db.WriteAsync((conn, tx) =>
        {
            // meterStart may change under the hot-path cache's copy of the session.
            core.Db.NotifyChanged("charging_sessions");
            return conn.ExecuteAsync(
                $"UPDATE charging_sessions SET {string.Join(", ", sets.Keys.Select(k => $"{ResourceStore.Quote(k)} = @{k}"))}, updated = @now WHERE id = @id", p, tx);
        });
        session.LastSeqNo = (long)sets["lastSeqNo"]!;
        return true;
    }

    private Task MarkSeenAsync(string sessionId, long seqNo) => core.Db.WriteAsync(async (conn, tx) =>
    {
        var seqNos = SeqNoSet.Parse(await conn.ExecuteScalarAsync<string?>(
            "SELECT transactionSeqNos FROM charging_sessions WHERE id = @sessionId", new { sessionId }, tx));
        if (seqNos.Add(seqNo))
            await conn.ExecuteAsync("UPDATE charging_sessions SET transactionSeqNos = @seqNos WHERE id = @sessionId",
                new { seqNos = seqNos.ToString(), sessionId }, tx);
    });

    /// <summary>Ended: the session closes with the highest register reading as meterStop. The event's time is its
    /// ocppTransactionStop; the session ends then, but not before its start nor after now (as a 1.6 StopTransaction).</summary>
    private async Task CloseAsync(ChargerAdmitted charger, Row session, TransactionEvent e)
    {
        var (meterStart, lastRegister) = await core.Db.ReadAsync(conn => conn.QueryFirstAsync<(double? MeterStart, double? LastRegister)>(
            "SELECT meterStart, lastMeterRegister FROM charging_sessions WHERE id = @id", new { id = session.Id }));
        var meterStop = lastRegister is { } stop && stop >= (meterStart ?? 0) ? stop : (double?)null;
        await sessions.CloseAsync(SystemCaller(charger), session.Id, new CloseSession(e.Timestamp, meterStop, transactions.NotAfterNow(e.Timestamp)));
        if (e.StoppedReason is { } reason)
            await core.Db.WriteAsync((conn, tx) => conn.ExecuteAsync(
                "UPDATE charging_sessions SET stopReason = @reason WHERE id = @id", new { reason, id = session.Id }, tx));
    }

    private static Caller SystemCaller(ChargerAdmitted charger) => new("ocpp:" + charger.OcppId, charger.CustomerId, UserTypes.Service);
}
