using Cms.Core.Domain.ChargePoints;
using Cms.Core.Domain.Connectors;
using Cms.Core.Domain.HotPath;
using Cms.Core.Domain.Sessions;
using Cms.Core.Domain.StatusHistory;
using Cms.Core.Resources;
using Dapper;

namespace Cms.Core.Domain.Ocpp;

/// <summary>What a charger tells about itself: online/offline, boot data, connector status. Protocol-neutral.</summary>
public sealed class ChargerStatus(CoreContext core, OcppEventLog events)
{
    private readonly HotPathCache _cache = HotPathCache.For(core.Db);

    /// <summary>Statuses after which the power a connector draws may change, so its network is re-planned.</summary>
    private static readonly HashSet<string> PlanningStatuses = ["Available", "Charging", "SuspendedEV", "SuspendedEVSE", "Faulted", "Unavailable", "Finishing"];

    public async Task ConnectedAsync(ChargerAdmitted charger, string protocol)
    {
        await SetAsync(charger, new() { ["onlineStatus"] = "ONLINE", ["onlineStatusUpdate"] = Now, ["protocol"] = protocol },
            Online(charger, "ONLINE"));
        await events.RecordAsync(charger.CustomerId, OcppEventLog.Connection, "Info", charger.ChargePointId, charger.OcppId,
            charger.NetworkId, $"connected with {protocol}");
        // Delivery decides what the charger still holds (see ChargerConnected), then the network is replanned.
        core.Events.Publish(new Delivery.ChargerConnected(charger.CustomerId, charger.NetworkId, charger.ChargePointId));
        core.Events.Publish(new NetworkChanged(charger.CustomerId, charger.NetworkId, "charger connected"));
    }

    public async Task DisconnectedAsync(ChargerAdmitted charger, string reason)
    {
        await SetAsync(charger, new() { ["onlineStatus"] = "OFFLINE", ["onlineStatusUpdate"] = Now }, Online(charger, "OFFLINE"));
        await events.RecordAsync(charger.CustomerId, OcppEventLog.Disconnection, "Warning", charger.ChargePointId, charger.OcppId,
            charger.NetworkId, reason);
        core.Events.Publish(new NetworkChanged(charger.CustomerId, charger.NetworkId, "charger disconnected"));
    }

    public async Task BootedAsync(ChargerAdmitted charger, string vendor, string model, string? serial, string? firmware, string? meterType)
    {
        await SetAsync(charger, new()
        {
            ["vendor"] = vendor, ["modelName"] = model, ["serialNumber"] = serial, ["firmwareVersion"] = firmware,
            ["meterType"] = meterType, ["onlineStatus"] = "ONLINE",
        });
        // A booted charger may have lost its installed profiles: delivery forgets what it had accepted.
        core.Events.Publish(new Delivery.ChargerBooted(charger.CustomerId, charger.NetworkId, charger.ChargePointId));
    }

    /// <summary>
    /// Connector 0 is the charger itself. A connector the charger reports but we do not know yet is created with
    /// the charge point's capacity, so the digital twin follows the hardware.
    /// </summary>
    public async Task StatusChangedAsync(ChargerAdmitted charger, int connectorNumber, string status, string? errorCode, DateTimeOffset? at)
    {
        var when = at ?? core.Clock.GetUtcNow();
        if (connectorNumber == 0)
        {
            var cpStatus = ChargePointResource.OcppStatuses.Contains(status) ? status : "Available";
            await SetAsync(charger, new() { ["ocppStatus"] = cpStatus, ["ocppStatusUpdate"] = when, ["ocppErrorCode"] = errorCode },
                new ChargerStateChanged(charger.CustomerId, charger.NetworkId, charger.ChargePointId, null, 0, StatusHistoryLog.Status, status, errorCode, when));
            return;
        }
        // Chargers repeat their status often: a connector's status (and its history row) is written in the next group
        // commit, and the network is replanned only when the status really changed. Not behind the deferred readings
        // (Database.DeferredBarrierAsync): it touches neither readings nor sessions.
        var (changed, change) = await core.Db.GroupWriteUnorderedAsync(async (conn, tx) =>
        {
            var values = new Dictionary<string, object?> { ["ocppStatus"] = status, ["ocppStatusUpdate"] = when, ["ocppErrorCode"] = errorCode };
            var id = await ConnectorIdAsync(conn, tx, charger, connectorNumber);
            if (id is null)
            {
                id = await InsertConnectorAsync(conn, tx, charger, connectorNumber, values);
                _cache.SetConnector(charger.ChargePointId, Key(connectorNumber), new ConnectorRef(id, connectorNumber));
            }
            else await ResourceStore.UpdateAsync(conn, tx, ConnectorResource.Spec, charger.CustomerId, id, values, core.Clock.GetUtcNow());
            var change = new ChargerStateChanged(charger.CustomerId, charger.NetworkId, charger.ChargePointId, id, connectorNumber,
                StatusHistoryLog.Status, status, errorCode, when);
            await StatusHistoryLog.AppendAsync(conn, tx, core.Ids.NewId(), change);
            return (_cache.StatusChanged(id, status), change);
        });
        core.Events.Publish(change);
        if (changed && PlanningStatuses.Contains(status))
            core.Events.Publish(new NetworkChanged(charger.CustomerId, charger.NetworkId, $"connector {connectorNumber} {status}"));
    }

    /// <summary>
    /// A connector the charger uses (StartTransaction, MeterValues) before it reported its status is created like
    /// <see cref="StatusChangedAsync"/> would, so the charger's transaction has a connector to belong to.
    /// </summary>
    public async Task EnsureConnectorAsync(ChargerAdmitted charger, int connectorNumber)
    {
        if (connectorNumber <= 0) return;
        // Almost always known already (the hot path's cache): look before queueing a write.
        if (_cache.TryConnector(charger.ChargePointId, Key(connectorNumber), out _)) return;
        await using (var read = await core.Db.OpenAsync())
            if (await FindConnectorAsync(read, null, charger, connectorNumber) is { } known)
            {
                _cache.SetConnector(charger.ChargePointId, Key(connectorNumber), new ConnectorRef(known, connectorNumber));
                return;
            }
        await core.Db.GroupWriteAsync(async (conn, tx) =>
        {
            var id = await FindConnectorAsync(conn, tx, charger, connectorNumber)
                ?? await InsertConnectorAsync(conn, tx, charger, connectorNumber, []);
            _cache.SetConnector(charger.ChargePointId, Key(connectorNumber), new ConnectorRef(id, connectorNumber));
            return id;
        });
    }

    private static string Key(int connectorNumber) => connectorNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<string?> ConnectorIdAsync(System.Data.Common.DbConnection conn, System.Data.Common.DbTransaction tx,
        ChargerAdmitted charger, int connectorNumber)
    {
        if (_cache.TryConnector(charger.ChargePointId, Key(connectorNumber), out var known)) return known.Id;
        var id = await FindConnectorAsync(conn, tx, charger, connectorNumber);
        if (id is not null) _cache.SetConnector(charger.ChargePointId, Key(connectorNumber), new ConnectorRef(id, connectorNumber));
        return id;
    }

    private static Task<string?> FindConnectorAsync(System.Data.Common.DbConnection conn, System.Data.Common.DbTransaction? tx,
        ChargerAdmitted charger, int connectorNumber) =>
        conn.ExecuteScalarAsync<string?>("SELECT id FROM connectors WHERE chargePointId = @cp AND connectorId = @n",
            new { cp = charger.ChargePointId, n = connectorNumber }, tx);

    private async Task<string> InsertConnectorAsync(System.Data.Common.DbConnection conn, System.Data.Common.DbTransaction tx,
        ChargerAdmitted charger, int connectorNumber, Dictionary<string, object?> values)
    {
        var id = core.Ids.NewId();
        var maxCapacity = await conn.ExecuteScalarAsync<double>("SELECT maxCapacity FROM charge_points WHERE id = @cp", new { cp = charger.ChargePointId }, tx);
        values["chargePointId"] = charger.ChargePointId;
        values["connectorId"] = (long)connectorNumber;
        values["currentType"] = "AC_phase3_LN";
        values["voltage"] = 230.0;
        values["maxCapacity"] = maxCapacity;
        values["powerFactor"] = 1.0;
        values["priority"] = 3L;
        await ResourceStore.InsertAsync(conn, tx, ConnectorResource.Spec, charger.CustomerId, values, core.Clock.GetUtcNow(), id);
        return id;
    }

    private DateTimeOffset Now => core.Clock.GetUtcNow();

    private ChargerStateChanged Online(ChargerAdmitted charger, string status) =>
        new(charger.CustomerId, charger.NetworkId, charger.ChargePointId, null, 0, StatusHistoryLog.Online, status, null, Now);

    /// <summary>Updates the charge point; a state change is appended to the status history in the same transaction and published after it.</summary>
    private async Task SetAsync(ChargerAdmitted charger, Dictionary<string, object?> values, ChargerStateChanged? change = null)
    {
        await core.Db.WriteAsync(async (conn, tx) =>
        {
            await ResourceStore.UpdateAsync(conn, tx, ChargePointResource.Spec, charger.CustomerId, charger.ChargePointId, values, Now);
            if (change is not null) await StatusHistoryLog.AppendAsync(conn, tx, core.Ids.NewId(), change);
        });
        if (change is not null) core.Events.Publish(change);
    }
}
