using Cms.Core.Auth;
using Cms.Core.Resources;
using Dapper;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Profiles;

/// <summary>
/// /v2/profiles/optimizations/ (the planned kW of a scope as one compact series) and /v2/charging_sessions/profiles/
/// (the plan of each active session of a network). At any moment a session's plan is the newest optimization covering it.
/// </summary>
public sealed class OptimizationProfileService(CoreContext core)
{
    private static readonly string[] Scopes = ["network", "connector", "chargepoint", "optimization", "charging_session", "vehicle"];

    /// <summary>The query parameters of /v2/profiles/optimizations/ (exactly one scope) and /v2/charging_sessions/profiles/.</summary>
    public static readonly string[] OptimizationParams = [.. Scopes, "start", "end", "resolution"];
    public static readonly string[] SessionProfileParams = ["network", "start", "end"];

    private static readonly Dictionary<string, string> ScopeSql = new()
    {
        ["network"] = "o.networkId = @scope",
        ["connector"] = "o.connector = @scope",
        ["chargepoint"] = "o.chargepointId = @scope",
        ["optimization"] = "o.id = @scope",
        ["charging_session"] = "o.chargingSessionId = @scope",
        ["vehicle"] = "o.chargingSessionId IN (SELECT s.id FROM charging_sessions s WHERE s.vehicleId = @scope)",
    };

    public async Task<(JObject Data, long Total)> OptimizationsAsync(Caller caller, IEnumerable<KeyValuePair<string, string[]>> query)
    {
        var q = ProfileQuery.Parse(query, OptimizationParams, requireNetwork: false);
        var given = Scopes.Where(s => q.Single(s) is not null).ToList();
        if (given.Count != 1)
            throw ApiFailure.BadRequest("network", "exactly one of " + string.Join(", ", Scopes) + " is required");
        var scope = given[0];
        var scopeId = (string)Filters.ConvertQueryValue(scope, q.Single(scope)!, FieldType.Uuid);
        var now = core.Clock.GetUtcNow();
        var (start, end) = q.Window(now, now.AddHours(12), InputProfileService.MaxWindow);
        var (name, step) = q.Resolution(end - start);

        var plans = await LoadPlansAsync(caller.CustomerId, ScopeSql[scope], scopeId, start, end);
        var points = InputProfileService.Resample(start, end, step, (a, b) => KwAt(plans, a, b));
        var data = new JObject { [scope] = scopeId, ["start"] = Iso.Format(start), ["end"] = Iso.Format(end), ["unit"] = "kW", ["resolution"] = name };
        var page = points.ToList();
        data["timestamps"] = new JArray(page.Select(p => Iso.Format(p.At)));
        data["values"] = new JArray(page.Select(p => new JValue(Math.Round(p.Value ?? 0, 6))));
        return (data, points.Count);
    }

    public async Task<(List<JObject> Items, long Total)> SessionProfilesAsync(Caller caller, IEnumerable<KeyValuePair<string, string[]>> query)
    {
        var q = ProfileQuery.Parse(query, SessionProfileParams);
        var now = core.Clock.GetUtcNow();
        var (start, end) = q.Window(now, now.AddHours(12), InputProfileService.MaxWindow);
        var sessions = await core.Db.ReadAsync(conn => conn.QueryAsync<(string Id, string ConnectorId, string ChargePointId, long? TransactionId)>(
            "SELECT id, connectorId, chargePointId, transactionId FROM charging_sessions_live WHERE customerId = @customerId AND networkId = @network ORDER BY sessionStart, id",
            new { customerId = caller.CustomerId, network = q.Network }));
        var plans = await LoadPlansAsync(caller.CustomerId, ScopeSql["network"], q.Network, start, end);
        var items = sessions.Select(s =>
        {
            var own = plans.Where(p => p.SessionId == s.Id).ToList();
            var points = InputProfileService.Resample(start, end, OptimizationStep, (a, b) => KwAt(own, a, b));
            return new JObject
            {
                ["chargingSessionId"] = s.Id, ["connectorId"] = s.ConnectorId, ["chargePointId"] = s.ChargePointId,
                ["transactionId"] = s.TransactionId, ["unit"] = "kW",
                ["data"] = new JArray(points.Select(p => new JObject { ["time"] = Iso.Format(p.At), ["value"] = Math.Round(p.Value ?? 0, 6) })),
            };
        }).ToList();
        return (items, items.Count);
    }

    private static readonly TimeSpan OptimizationStep = TimeSpan.FromMinutes(15);

    /// <summary>One stored plan: which session, when it was made, and its (time, kW) points.</summary>
    private sealed record Plan(string SessionId, string Created, DateTimeOffset From, DateTimeOffset To, List<(DateTimeOffset At, double Kw)> Points);

    private async Task<List<Plan>> LoadPlansAsync(string customerId, string scopeSql, string scope, DateTimeOffset start, DateTimeOffset end)
    {
        var rows = await core.Db.ReadAsync(conn => conn.QueryAsync<(string SessionId, string Created, string From, string To, string Profile)>(
            // A session that ended has no plan after its end, however far its last plan reached.
            "SELECT o.chargingSessionId, o.created, o.validFrom, " +
            "CASE WHEN s.sessionEnd IS NOT NULL AND s.sessionEnd < o.validTo THEN s.sessionEnd ELSE o.validTo END, o.profile " +
            $"FROM optimizations o LEFT JOIN charging_sessions s ON s.id = o.chargingSessionId WHERE o.customerId = @customerId AND {scopeSql} " +
            "AND o.validTo > @start AND o.validFrom < @end ORDER BY o.created, o.id",
            new { customerId, scope, start = Iso.Format(start), end = Iso.Format(end) }));
        return rows.Select(r => new Plan(r.SessionId, r.Created, Iso.Parse(r.From), Iso.Parse(r.To),
            JObject.Parse(r.Profile)["data"]!.Select(d => (Iso.Parse((string)d["time"]!), (double)d["value"]!)).ToList())).ToList();
    }

    /// <summary>Sum over sessions of the kW planned at the middle of [a, b), each from its newest plan covering that moment (plans are steps).</summary>
    private static double? KwAt(IEnumerable<Plan> plans, DateTimeOffset a, DateTimeOffset b)
    {
        var t = a + (b - a) / 2;
        return plans.Where(p => p.From <= t && t < p.To)
            .GroupBy(p => p.SessionId)
            .Sum(g => g.MaxBy(p => p.Created)!.Points.LastOrDefault(x => x.At <= t).Kw);
    }
}
