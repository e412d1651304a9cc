using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Cms.Core.Domain.Delivery;
using Cms.Core.Domain.Ocpp;
using Cms.Core.Domain.Ocpp.Stations;
using Cms.Ocpp.V16;
using Cms.Ocpp.V201;
using Cms.Ocpp.Connection;
using Cms.Ocpp.Schemas;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Csms;

/// <summary>Core's way to reach a charger: the live connection of each charge point, by its id.</summary>
public sealed class ChargerGateway(StationTransactions stationTransactions, DeviceModel deviceModel, SchemaValidator schemas) : IChargerGateway
{
    private readonly ConcurrentDictionary<string, OcppConnection> _byChargePoint = new();
    /// <summary>1.6 profile shapes checked against the schema, by the schedule they carry: a delivery run gives sessions
    /// with equal schedules one periods list, so their payloads are checked and serialized once (entries die with the run).</summary>
    private readonly ConditionalWeakTable<IReadOnlyList<SchedulePeriod>, ConcurrentDictionary<ChargingProfileRequest, SetChargingProfile16Shape?>> _shapes = new();

    /// <summary>A charger's connection became its current one here: other nodes learn it before the charger is marked online.</summary>
    public event Func<string, OcppConnectionInfo, Task>? Attached;

    /// <summary>A charger's current connection here went away (charge point id, connection id).</summary>
    public event Action<string, string>? Detached;

    public async Task AttachAsync(string chargePointId, OcppConnection connection)
    {
        _byChargePoint[chargePointId] = connection;
        if (Attached is { } attached) await attached(chargePointId, connection.Info);
    }

    /// <summary>Detaches only if this is still the charger's current connection (a reconnect may have replaced it).</summary>
    public bool Detach(string chargePointId, string connectionId)
    {
        var detached = _byChargePoint.TryGetValue(chargePointId, out var current) && current.Info.ConnectionId == connectionId
            && _byChargePoint.TryRemove(new KeyValuePair<string, OcppConnection>(chargePointId, current));
        if (detached) Detached?.Invoke(chargePointId, connectionId);
        return detached;
    }

    /// <summary>
    /// The charger reconnected to another node: forget its connection here (if it is older than that one) without the
    /// disconnect bookkeeping (it is online, elsewhere), and hand the connection back so the caller can close it.
    /// </summary>
    public OcppConnection? Release(string chargePointId, DateTimeOffset connectedElsewhereAt) =>
        _byChargePoint.TryGetValue(chargePointId, out var current) && current.Info.ConnectedAt < connectedElsewhereAt
        && _byChargePoint.TryRemove(new KeyValuePair<string, OcppConnection>(chargePointId, current)) ? current : null;

    /// <summary>Every charger connected here now: (charge point id, connection id).</summary>
    public IReadOnlyList<(string ChargePointId, string ConnectionId)> Current() =>
        _byChargePoint.Select(p => (p.Key, p.Value.Info.ConnectionId)).ToList();

    public bool IsConnected(string chargePointId) => _byChargePoint.ContainsKey(chargePointId);

    public async Task<ChargerCallOutcome> SetChargingProfileAsync(string chargePointId, ChargingProfileRequest profile, CancellationToken cancel = default)
    {
        if (!_byChargePoint.TryGetValue(chargePointId, out var connection))
            return ChargerCallOutcome.Of(ChargerCallOutcome.Disconnected, "charger is not connected");
        JObject payload;
        if (connection.Info.Version == OcppVersion.Ocpp16)
        {
            if (CheckedShape(profile) is { } shape) return Outcome(await connection.CallCheckedAsync("SetChargingProfile", shape.Render(profile), null, cancel));
            payload = SetChargingProfile16.Payload(profile); // fails the check again below, which throws with the schema's error
        }
        else
        {
            // A 2.0.1 station says how many periods a schedule may have (SmartChargingCtrlr.PeriodsPerSchedule).
            if (await deviceModel.PeriodsPerScheduleAsync(chargePointId) is { } max && profile.Periods.Count > max)
                profile = profile with { Periods = ScheduleCompression.Compress(profile.Periods, max) };
            payload = SetChargingProfile201.Payload(profile,
                profile.TransactionId is { } t ? await stationTransactions.StationIdOfAsync(chargePointId, t) : null);
        }
        return await CallAsync(chargePointId, "SetChargingProfile", payload, cancel);
    }

    public async Task<ChargerCallOutcome> CallAsync(string chargePointId, string action, JObject payload, CancellationToken cancel = default)
    {
        if (!_byChargePoint.TryGetValue(chargePointId, out var connection))
            return ChargerCallOutcome.Of(ChargerCallOutcome.Disconnected, "charger is not connected");
        OcppCallResult result;
        try { result = await connection.CallAsync(action, payload, null, cancel); }
        catch (OcppCallException e) { throw new InvalidChargerCallException($"{e.Code}: {e.Message}"); }
        return Outcome(result);
    }

    /// <summary>The request's 1.6 shape once it passed the request schema; null when it did not.</summary>
    private SetChargingProfile16Shape? CheckedShape(ChargingProfileRequest profile) =>
        _shapes.GetValue(profile.Periods, _ => new()).GetOrAdd(SetChargingProfile16Shape.KeyOf(profile), _ =>
        {
            var shape = new SetChargingProfile16Shape(profile);
            return schemas.Validate(OcppVersion.Ocpp16, "SetChargingProfile", SchemaKind.Request, shape.Sample).IsValid ? shape : null;
        });

    private static ChargerCallOutcome Outcome(OcppCallResult result) =>
        result.Status switch
        {
            OcppCallStatus.Result => new ChargerCallOutcome(ChargerCallOutcome.Answered, result.Payload, null, null),
            OcppCallStatus.Error => new ChargerCallOutcome(ChargerCallOutcome.CallError, null, result.ErrorCode, result.ErrorDescription),
            OcppCallStatus.InvalidResponse => new ChargerCallOutcome(ChargerCallOutcome.CallError, result.Payload, "InvalidResponse", result.ErrorDescription),
            OcppCallStatus.Timeout => ChargerCallOutcome.Of(ChargerCallOutcome.TimedOut, "no answer within the call timeout"),
            _ => ChargerCallOutcome.Of(ChargerCallOutcome.Disconnected, "connection closed before an answer"),
        };
}
