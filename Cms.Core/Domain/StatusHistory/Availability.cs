using System.Data.Common;
using Cms.Core.Domain.Planning;
using Cms.Core.Resources;
using Dapper;

namespace Cms.Core.Domain.StatusHistory;

/// <summary>A charge point or connector whose connectivity or uptime is measured.</summary>
public sealed record Measured(string Id, string ChargePointId, string NetworkId, DateTimeOffset Created, string? ConnectorId);

/// <summary>
/// Connectivity and uptime from the status history, as 0/1 pieces per charge point or connector.
/// Connectivity: the charger is connected. Uptime: connected, and the connector (or, per charge point, the charger itself)
/// is neither Faulted nor Unavailable. A charge point is offline from its creation until its first connection; a status
/// not reported yet counts as up. Time before an entity existed or after now is not counted.
/// </summary>
public static class Availability
{
    public static readonly HashSet<string> DownStatuses = ["Faulted", "Unavailable"];

    public static async Task<List<Piece>> ConnectivityAsync(DbConnection conn, Measured e, DateTimeOffset start, DateTimeOffset end, DateTimeOffset now)
    {
        var online = await OnlineAsync(conn, e, start, end);
        return Timeline.Clip(online.Over(start, end, 0), e.Created, now, start, end);
    }

    /// <summary>Uptime of a connector (ConnectorId set) or of a charge point by its own status (connector 0).</summary>
    public static async Task<List<Piece>> UptimeAsync(DbConnection conn, Measured e, DateTimeOffset start, DateTimeOffset end, DateTimeOffset now)
    {
        var online = await OnlineAsync(conn, e, start, end);
        var status = Timeline.Series((await HistoryAsync(conn, e.ChargePointId, e.ConnectorId, StatusHistoryLog.Status, start, end))
            .Select(r => (Iso.Parse(r.At), DownStatuses.Contains(r.Status) ? 0.0 : 1.0)));
        var up = StepSeries.Combine(online, 0, status, 1, start, end, (x, y) => x * y);
        return Timeline.Clip(up, e.Created, now, start, end);
    }

    private static async Task<StepSeries> OnlineAsync(DbConnection conn, Measured e, DateTimeOffset start, DateTimeOffset end)
    {
        var rows = (await HistoryAsync(conn, e.ChargePointId, null, StatusHistoryLog.Online, start, end))
            .Select(r => (At: Iso.Parse(r.At), Value: r.Status == "ONLINE" ? 1.0 : 0.0)).ToList();
        // Offline from creation until the first record (a record is never overridden by this assumption).
        var seed = rows.Count == 0 || rows[0].At > e.Created ? new[] { (At: e.Created, Value: 0.0) } : [];
        return Timeline.Series(seed.Concat(rows));
    }

    /// <summary>The records inside [start, end) and the last one before start (the state the window opens with), oldest first.</summary>
    public static async Task<List<(string At, string Status, string? ErrorCode)>> HistoryAsync(DbConnection conn, string chargePointId,
        string? connectorId, string kind, DateTimeOffset start, DateTimeOffset end)
    {
        var scope = connectorId is null ? "\"connectorId\" IS NULL" : "\"connectorId\" = @connectorId";
        var where = $"\"chargePointId\" = @chargePointId AND {scope} AND \"kind\" = @kind";
        var rows = await conn.QueryAsync<(string At, string Status, string? ErrorCode)>(
            $"SELECT \"at\", \"status\", \"errorCode\" FROM (SELECT \"at\", \"status\", \"errorCode\", id FROM status_history WHERE {where} AND \"at\" < @start " +
            "ORDER BY \"at\" DESC, id DESC LIMIT 1) before_start " +
            $"UNION ALL SELECT \"at\", \"status\", \"errorCode\" FROM (SELECT \"at\", \"status\", \"errorCode\", id FROM status_history WHERE {where} " +
            "AND \"at\" >= @start AND \"at\" < @end) inside",
            new { chargePointId, connectorId, kind, start = Iso.Format(start), end = Iso.Format(end) });
        return rows.OrderBy(r => r.At, StringComparer.Ordinal).ToList();
    }
}
