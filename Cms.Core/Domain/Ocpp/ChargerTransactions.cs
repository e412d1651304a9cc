using Cms.Core.Diagnostics;
using Cms.Core.Auth;
using Cms.Core.Domain.IdTags;
using Cms.Core.Domain.MeterValues;
using Cms.Core.Domain.Sessions;
using Cms.Core.Domain.Vehicles;
using Cms.Core.Resources;
using Dapper;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Ocpp;

/// <summary>
/// Transactions as chargers report them, protocol-neutral: authorize an idTag, start (the CSMS assigns the
/// transactionId), stop, meter values. Maps them into the typed commands the REST API parses its JSON into
/// (<see cref="StartSession"/>, <see cref="CloseSession"/>, <see cref="MeterValuesRequest"/>), so rules live in one place.
/// </summary>
public sealed class ChargerTransactions(CoreContext core, SessionService sessions, MeterValueService meters,
    IdTagService idTags, TransactionIds transactionIds, ChargerStatus status, TelematicsService telematics)
{
    public async Task<IdTagVerdict> AuthorizeAsync(ChargerAdmitted charger, string idTag)
    {
        var allowAll = await core.Db.ReadAsync(conn => conn.ExecuteScalarAsync<long?>(
            "SELECT allowAllIdTags FROM charge_points WHERE id = @id", new { id = charger.ChargePointId }));
        return await idTags.AuthorizeAsync(charger.CustomerId, idTag, allowAll == 1);
    }

    /// <summary>
    /// A repeated StartTransaction (same connector, idTag, timestamp, meterStart: the charger resent after a lost answer)
    /// gets the same transactionId and no second session. An older open session on the connector is closed first:
    /// the charger, not our record, says what is plugged in. A timestamp after now (a clock unset or in another time
    /// zone, a fuzzed year 9999) stays the session's ocppTransactionStart, but the session starts now: it cannot have
    /// begun after we heard of it, and a session in the future would outlast its stop and drop out of every list.
    /// </summary>
    public Task<(long TransactionId, IdTagVerdict Verdict)> StartAsync(ChargerAdmitted charger, int connector, string idTag,
        double meterStartWh, DateTimeOffset timestamp) => StartAsync(charger, connector, idTag, meterStartWh, timestamp, null);

    /// <param name="assignedTransactionId">The id another CSMS assigned (proxy mode: the upstream's answer); null lets AmpCMS assign one.</param>
    public async Task<(long TransactionId, IdTagVerdict Verdict)> StartAsync(ChargerAdmitted charger, int connector, string idTag,
        double meterStartWh, DateTimeOffset timestamp, long? assignedTransactionId)
    {
        LoopTrace.Mark("tx.begin", charger.OcppId);
        var verdict = await AuthorizeAsync(charger, idTag);
        LoopTrace.Mark("tx.authorized");
        var start = Iso.Format(timestamp);
        var meterStartKwh = meterStartWh / 1000.0;
        var duplicate = await core.Db.ReadAsync(conn => conn.ExecuteScalarAsync<long?>(
            "SELECT transactionId FROM charging_sessions WHERE chargePointId = @cp AND connectorNumber = @connector " +
            "AND idTag = @idTag AND ocppTransactionStart = @start AND ABS(COALESCE(meterStart, -1) - @meterStartKwh) < 1e-9",
            new { cp = charger.ChargePointId, connector, idTag, start, meterStartKwh }));
        if (duplicate is { } same) return (same, verdict);

        var caller = SystemCaller(charger);
        var open = await core.Db.ReadAsync(conn => conn.ExecuteScalarAsync<string?>(
            "SELECT id FROM charging_sessions_live WHERE chargePointId = @cp AND connectorNumber = @connector",
            new { cp = charger.ChargePointId, connector }));
        if (open is not null) await sessions.StopAsync(caller, open, transactionId: null);

        LoopTrace.Mark("tx.read");
        await status.EnsureConnectorAsync(charger, connector);
        var transactionId = assignedTransactionId ?? await transactionIds.NextAsync();
        LoopTrace.Mark("tx.id");
        await sessions.StartAsync(caller, new StartSession(charger.ChargePointId, connector.ToString(System.Globalization.CultureInfo.InvariantCulture),
            idTag, meterStartKwh, timestamp, transactionId, verdict.VehicleId, verdict.Priority, NotAfterNow(timestamp)));
        LoopTrace.Mark("tx.started");
        return (transactionId, verdict);
    }

    /// <summary>
    /// Closes the transaction's session. Unknown transactions are acknowledged (the charger must not retry forever); false
    /// tells the caller. The timestamp stays the session's ocppTransactionStop; the session ends at it, but never after
    /// now nor before the session's start (a clock set back or forth mid-transaction), rather than refusing the stop.
    /// </summary>
    public async Task<(bool Known, IdTagVerdict? Verdict)> StopAsync(ChargerAdmitted charger, long transactionId, string? idTag,
        double meterStopWh, DateTimeOffset timestamp, string? reason, int connectorHint, JArray? transactionData)
    {
        var verdict = idTag is null ? null : await AuthorizeAsync(charger, idTag);
        var session = await core.Db.ReadAsync(conn => conn.QueryFirstOrDefaultAsync<(string Id, int Connector, double? MeterStart, string? End)?>(
            "SELECT id, connectorNumber, meterStart, sessionEnd FROM charging_sessions WHERE customerId = @customerId AND chargePointId = @cp AND transactionId = @transactionId",
            new { customerId = charger.CustomerId, cp = charger.ChargePointId, transactionId }));
        if (session is not { } s) return (false, verdict);

        if (transactionData is { Count: > 0 })
            await MeterValuesAsync(charger, s.Connector == 0 ? connectorHint : s.Connector, transactionId, transactionData);
        if (s.End is null)
        {
            var meterStopKwh = meterStopWh / 1000.0;
            await sessions.CloseAsync(SystemCaller(charger), s.Id,
                new CloseSession(timestamp, meterStopKwh >= (s.MeterStart ?? 0) ? meterStopKwh : null, NotAfterNow(timestamp)));
        }
        if (reason is not null)
            await core.Db.WriteAsync((conn, tx) => conn.ExecuteAsync(
                "UPDATE charging_sessions SET stopReason = @reason WHERE id = @id", new { reason, id = s.Id }, tx));
        return (true, verdict);
    }

    /// <summary>The charger's meter values in the OCPP 1.6 meterValue array shape: checked by the REST rules into the typed batch.</summary>
    public Task MeterValuesAsync(ChargerAdmitted charger, int connector, long? transactionId, JArray meterValue) =>
        meterValue.Count == 0
            ? Task.CompletedTask // schema-valid, nothing to store
            : MeterValuesAsync(charger, MeterValuesRequest.FromCharger(charger.ChargePointId, connector, transactionId, meterValue));

    /// <summary>Stores a charger's meter reading batch (any protocol version) through the same rules as REST.</summary>
    public async Task MeterValuesAsync(ChargerAdmitted charger, MeterValuesRequest readings)
    {
        var connector = int.Parse(readings.Connector!, System.Globalization.CultureInfo.InvariantCulture);
        await status.EnsureConnectorAsync(charger, connector);
        if (readings.TransactionId is null && connector > 0 && DrawsPower(readings.MeterValues))
            await StartFromMeterValuesAsync(charger, connector);
        var stored = await meters.RecordFromChargerAsync(charger.CustomerId, readings);
        // The charger's view of the battery: the newest SoC becomes a telematics sample of the linked vehicle, which
        // updates the vehicle's stateOfCharge when it is the newest the vehicle has.
        if (stored.VehicleId is { } vehicleId && NewestSoC(readings.MeterValues) is var (at, soc))
            await telematics.AddAsync(SystemCaller(charger), vehicleId,
                new JObject { ["timestamp"] = Iso.Format(at), ["stateOfCharge"] = soc, ["source"] = "chargePoint" });
    }

    /// <summary>
    /// startSessionsWithMeterValues: a connector that draws power without any open session (a charger that never sent
    /// StartTransaction) gets a session, so the optimizer counts its load.
    /// </summary>
    private async Task StartFromMeterValuesAsync(ChargerAdmitted charger, int connector)
    {
        var (enabled, open) = await core.Db.ReadAsync(async conn => (
            await conn.ExecuteScalarAsync<long?>("SELECT startSessionsWithMeterValues FROM networks WHERE id = @id", new { id = charger.NetworkId }) == 1,
            await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM charging_sessions_live WHERE chargePointId = @cp AND connectorNumber = @connector",
                new { cp = charger.ChargePointId, connector })));
        if (!enabled || open > 0) return;
        try
        {
            await sessions.StartAsync(SystemCaller(charger),
                new StartSession(charger.ChargePointId, connector.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        catch (ApiFailure e) when (e.Status == 409)
        {
            // started by a concurrent message a moment ago
        }
    }

    private static bool DrawsPower(IReadOnlyList<MeterValue> meterValues) =>
        meterValues.Any(mv => mv.Samples.Any(s => s.Measurand == Measurands.PowerActiveImport && s.Value > 0));

    private static (DateTimeOffset At, double SoC)? NewestSoC(IReadOnlyList<MeterValue> meterValues)
    {
        (DateTimeOffset At, double SoC)? newest = null;
        foreach (var mv in meterValues)
            foreach (var s in mv.Samples)
                if (s.Measurand == "SoC" && s.Value is >= 0 and <= 100 && (newest is null || mv.Timestamp >= newest.Value.At))
                    newest = (mv.Timestamp, s.Value);
        return newest;
    }

    /// <summary>A charger's timestamp on the CSMS's timeline: what it reports cannot have happened after we heard of it.</summary>
    public DateTimeOffset NotAfterNow(DateTimeOffset chargerTime)
    {
        var now = core.Clock.GetUtcNow();
        return chargerTime > now ? now : chargerTime;
    }

    /// <summary>Charger traffic acts for the charger's customer with service rights.</summary>
    private static Caller SystemCaller(ChargerAdmitted charger) => new("ocpp:" + charger.OcppId, charger.CustomerId, UserTypes.Service);
}
