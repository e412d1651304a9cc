using System.Data.Common;
using Cms.Core.Resources;
using Dapper;

namespace Cms.Core.Domain.StatusHistory;

/// <summary>A charge point's or connector's status changed, or a charger came or went; published after the change is stored.</summary>
public sealed record ChargerStateChanged(string CustomerId, string NetworkId, string ChargePointId, string? ConnectorId,
    int ConnectorNumber, string Kind, string Status, string? ErrorCode, DateTimeOffset At);

/// <summary>
/// Appends to status_history inside the transaction that already stores the new state, so the history costs one
/// INSERT and no extra read or lock on the charger path.
/// </summary>
public static class StatusHistoryLog
{
    public const string Status = "status";
    public const string Online = "online";

    public static Task AppendAsync(DbConnection conn, DbTransaction tx, string id, ChargerStateChanged change) =>
        conn.ExecuteAsync(
            "INSERT INTO status_history (id, customerId, \"networkId\", \"chargePointId\", \"connectorId\", \"kind\", \"status\", \"errorCode\", \"at\") " +
            "VALUES (@id, @CustomerId, @NetworkId, @ChargePointId, @ConnectorId, @Kind, @Status, @ErrorCode, @at)",
            new { id, change.CustomerId, change.NetworkId, change.ChargePointId, change.ConnectorId, change.Kind, change.Status, change.ErrorCode,
                at = Iso.Format(change.At) }, tx);
}
