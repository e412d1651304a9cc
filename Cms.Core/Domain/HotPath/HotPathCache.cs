using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Cms.Core.Domain.Sessions;
using Cms.Core.Storage;

namespace Cms.Core.Domain.HotPath;

/// <summary>
/// What a charger's frequent messages need to know, kept in memory so the hot path reads no SQL in steady state:
/// each charge point's network, its connectors, the session open on each connector, sessions by transaction, and the
/// last status each connector reported. Filled on first use (inside a write, from the store) and dropped when a write
/// outside the hot path changes the rows behind it (<see cref="Database.Changed"/>, raised inside that write's lock).
/// One per store.
/// </summary>
public sealed class HotPathCache
{
    private static readonly ConditionalWeakTable<Database, HotPathCache> PerStore = new();

    private readonly ConcurrentDictionary<(string CustomerId, string ChargePointId), string> _networkOf = new();
    private readonly ConcurrentDictionary<(string ChargePointId, string Connector), ConnectorRef> _connectors = new();
    private readonly ConcurrentDictionary<string, SessionState?> _openSession = new();
    private readonly ConcurrentDictionary<(string ChargePointId, long TransactionId), SessionState> _byTransaction = new();
    private readonly ConcurrentDictionary<string, string> _connectorStatus = new();
    /// <summary>One object per session, whichever way it was found, so an update through one index is seen through the other.</summary>
    private readonly ConcurrentDictionary<string, SessionState> _sessions = new();

    private HotPathCache(Database db) => db.Changed += OnChanged;

    public static HotPathCache For(Database db) => PerStore.GetValue(db, d => new HotPathCache(d));

    public bool TryNetworkOf(string customerId, string chargePointId, out string networkId) =>
        _networkOf.TryGetValue((customerId, chargePointId), out networkId!);

    public void SetNetworkOf(string customerId, string chargePointId, string networkId) => _networkOf[(customerId, chargePointId)] = networkId;

    /// <param name="connector">As the caller named it: a connector number or UUID on that charge point.</param>
    public bool TryConnector(string chargePointId, string connector, out ConnectorRef found) =>
        _connectors.TryGetValue((chargePointId, connector), out found!);

    public void SetConnector(string chargePointId, string connector, ConnectorRef found) => _connectors[(chargePointId, connector)] = found;

    /// <summary>Known: the connector's open session, or null for none. Unknown: false.</summary>
    public bool TryOpenSession(string connectorId, out SessionState? session) => _openSession.TryGetValue(connectorId, out session);

    public void SetOpenSession(string connectorId, SessionState? session) => _openSession[connectorId] = session is null ? null : One(session);

    public bool TryByTransaction(string chargePointId, long transactionId, out SessionState session) =>
        _byTransaction.TryGetValue((chargePointId, transactionId), out session!);

    public void SetByTransaction(string chargePointId, long transactionId, SessionState session) =>
        _byTransaction[(chargePointId, transactionId)] = One(session);

    private SessionState One(SessionState session) => _sessions.GetOrAdd(session.Id, session);

    /// <summary>Records the connector's status; true when it differs from the last one known (or none was).</summary>
    public bool StatusChanged(string connectorId, string status)
    {
        var previous = _connectorStatus.TryGetValue(connectorId, out var p) ? p : null;
        _connectorStatus[connectorId] = status;
        return previous != status;
    }

    private void OnChanged(string table)
    {
        switch (table)
        {
            case "charging_sessions" or "vehicles":
                _openSession.Clear();
                _byTransaction.Clear();
                _sessions.Clear();
                break;
            case "connectors" or "charge_points" or "networks" or "*":
                _networkOf.Clear();
                _connectors.Clear();
                _openSession.Clear();
                _byTransaction.Clear();
                _sessions.Clear();
                _connectorStatus.Clear();
                break;
        }
    }
}

/// <summary>What a session needs to absorb new meter values; the cached copy is updated by the writes that change it.</summary>
public sealed class SessionState
{
    public string Id { get; set; } = "";
    public string? ConnectorId { get; set; }
    public string? SessionEnd { get; set; }
    public string? VehicleId { get; set; }
    public long? TransactionId { get; set; }
    public double? MeterStart { get; set; }
    public double? FirstMeterRegister { get; set; }
    public double? LastMeterRegister { get; set; }
    public string? CurrentChargingLoadAt { get; set; }
    public double? CurrentChargingLoad { get; set; }
}
