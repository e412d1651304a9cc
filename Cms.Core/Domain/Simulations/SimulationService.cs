using Cms.Core.Auth;
using Cms.Core.Resources;
using Cms.Optimizer;
using Dapper;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Simulations;

/// <summary>
/// POST /v2/networks/{id}/simulations: replays the network's closed sessions (source store, default the last 7 days)
/// or sessions sent in ACN-Data format (source sessions) through the real optimizer with a chosen capacity,
/// objective, prices and presets. Writes nothing. Run time is bounded by the input limits (≤ 5,000 sessions, ≤ 31 days).
/// </summary>
public sealed class SimulationService(CoreContext core)
{
    public async Task<JObject> RunAsync(Caller caller, string networkId, JToken? body)
    {
        var options = SimulationOptions.FromJson(body);
        var (network, sessions, chargePoints) = await core.Db.ReadAsync(async conn =>
        {
            var row = (IDictionary<string, object?>?)await conn.QueryFirstOrDefaultAsync(
                "SELECT * FROM networks WHERE id = @networkId AND customerId = @customerId", new { networkId, customerId = caller.CustomerId });
            if (row is null) throw ApiFailure.NotFound("network", networkId);
            if (options.Source == "sessions") return (row, options.Sessions!, (IReadOnlyList<ChargePointLimit>?)null);
            var to = options.To ?? core.Clock.GetUtcNow();
            var from = options.From ?? to - TimeSpan.FromDays(7);
            var rows = (await conn.QueryAsync<(string ChargePointId, string Start, string End, double? Kwh, double? MaxKw)>(
                "SELECT s.chargePointId, s.sessionStart, s.sessionEnd, s.energyConsumed, c.maxCapacity FROM charging_sessions s " +
                "LEFT JOIN connectors c ON c.id = s.connectorId WHERE s.networkId = @networkId AND s.customerId = @customerId " +
                "AND s.sessionEnd IS NOT NULL AND s.sessionStart >= @from AND s.sessionStart < @to ORDER BY s.sessionStart LIMIT @limit",
                new { networkId, customerId = caller.CustomerId, from = Iso.Format(from), to = Iso.Format(to), limit = SimulationOptions.MaxSessions + 1 })).ToList();
            if (rows.Count > SimulationOptions.MaxSessions)
                throw ApiFailure.BadRequest("from", $"more than {SimulationOptions.MaxSessions} sessions in this window; narrow from/to");
            var cps = (await conn.QueryAsync<(string Id, double MaxKw)>(
                "SELECT id, maxCapacity FROM charge_points WHERE networkId = @networkId", new { networkId }))
                .Select(c => new ChargePointLimit(c.Id, c.MaxKw)).ToList();
            var recorded = rows.Select(r => new AcnSession(r.ChargePointId, Iso.Parse(r.Start), Iso.Parse(r.End), r.Kwh ?? 0, r.MaxKw)).ToList();
            return (row, (IReadOnlyList<AcnSession>)recorded, (IReadOnlyList<ChargePointLimit>?)cps);
        });
        // CPU-bound: off the request thread.
        return await Task.Run(() => SimulationRunner.Run(options, network, sessions, chargePoints));
    }
}
