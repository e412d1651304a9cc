using Cms.Core.Resources;
using Dapper;

namespace Cms.Core.Domain.Ocpp;

/// <summary>Connection, disconnection and authentication events of chargers, served by /v2/ocpp_events.</summary>
public sealed class OcppEventLog(CoreContext core)
{
    public const string Authentication = "Authentication";
    public const string Connection = "Connection";
    public const string Disconnection = "Disconnection";

    public Task RecordAsync(string customerId, string type, string urgency, string? chargePointId, string? ocppId,
        string? networkId, string description)
    {
        var now = Iso.Format(core.Clock.GetUtcNow());
        return core.Db.WriteAsync((conn, tx) => conn.ExecuteAsync(
            "INSERT INTO ocpp_events (id, customerId, created, updated, eventTime, chargePointId, chargepointSerial, networkId, " +
            "source, status, urgency, type, description) VALUES (@id, @customerId, @now, @now, @now, @chargePointId, @ocppId, " +
            "@networkId, 'regular', 'Triggered', @urgency, @type, @description)",
            new { id = core.Ids.NewId(), customerId, now, chargePointId, ocppId, networkId, urgency, type, description }, tx));
    }
}
