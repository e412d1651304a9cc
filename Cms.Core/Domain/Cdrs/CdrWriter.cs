using System.Data.Common;
using Cms.Core.Domain.MeterValues;
using Cms.Core.Resources;
using Cms.Core.Storage;
using Dapper;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Cdrs;

/// <summary>
/// Writes the CDR of a session inside the transaction that closes it, so a closed session always has its CDR and an
/// open one never does, whichever path closed it (StopTransaction, REST PATCH or DELETE, the idle-session closer).
/// </summary>
public static class CdrWriter
{
    public static async Task AddForClosedSessionAsync(DbConnection conn, DbTransaction tx, CoreContext core, string customerId, string sessionId)
    {
        var session = (IDictionary<string, object?>?)await conn.QueryFirstOrDefaultAsync(
            "SELECT * FROM charging_sessions WHERE id = @sessionId AND customerId = @customerId", new { sessionId, customerId }, tx);
        if (session is null || session.Str("sessionEnd") is null) return;
        var exists = await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM cdrs WHERE chargingSessionId = @sessionId", new { sessionId }, tx);
        if (exists > 0) return;

        var network = (IDictionary<string, object?>)await conn.QueryFirstAsync(
            "SELECT * FROM networks WHERE id = @id", new { id = session.Str("networkId") }, tx);
        var chargePoint = (IDictionary<string, object?>)await conn.QueryFirstAsync(
            "SELECT * FROM charge_points WHERE id = @id", new { id = session.Str("chargePointId") }, tx);
        var connector = (IDictionary<string, object?>?)await conn.QueryFirstOrDefaultAsync(
            "SELECT * FROM connectors WHERE id = @id", new { id = session.Str("connectorId") }, tx);
        var shortName = await conn.ExecuteScalarAsync<string?>("SELECT shortName FROM customers WHERE id = @customerId", new { customerId }, tx);
        var registers = (await conn.QueryAsync<(string Timestamp, double Value, string? Unit)>(
                $"SELECT timestamp, value, unit FROM {TrafficJournal.MeterReadings.ReadView} WHERE chargingSessionId = @sessionId AND measurand = @measurand " +
                "AND (phase IS NULL OR phase = '') ORDER BY timestamp",
                new { sessionId, measurand = Measurands.EnergyActiveImportRegister }, tx))
            .Select(r => (r.Timestamp, Kwh: MeterMath.ToKwh(r.Value, r.Unit ?? "Wh")))
            .Where(r => r.Kwh is not null)
            .Select(r => new RegisterReading(Iso.Parse(r.Timestamp), r.Kwh!.Value))
            .ToList();

        var id = core.Ids.NewId();
        var now = core.Clock.GetUtcNow();
        var cdr = CdrBuilder.Build(new CdrInputs(id, session, network, chargePoint, connector, PartyId(shortName), registers, now));
        var values = new Dictionary<string, object?>
        {
            ["chargingSessionId"] = sessionId,
            ["networkId"] = session.Str("networkId"),
            ["chargePointId"] = session.Str("chargePointId"),
            ["connectorId"] = session.Str("connectorId"),
            ["transactionId"] = session.Long("transactionId"),
            ["idTag"] = session.Str("idTag"),
            ["start"] = session.Str("sessionStart"),
            ["end"] = session.Str("sessionEnd"),
            ["totalEnergy"] = (double)cdr["total_energy"]!,
            ["totalCost"] = (double)cdr["total_cost"]!["excl_vat"]!,
            ["totalCostInclVat"] = (double)cdr["total_cost"]!["incl_vat"]!,
            ["currency"] = (string?)cdr["currency"],
            ["cdrData"] = new JArray(cdr),
        };
        await ResourceStore.InsertAsync(conn, tx, CdrResource.Spec, customerId, values, now, id);
    }

    /// <summary>OCPI's party id is three characters: the customer's short name, upper-cased, letters and digits only.</summary>
    public static string PartyId(string? shortName)
    {
        var letters = new string((shortName ?? "").Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
        return (letters + "AMP")[..3];
    }
}
