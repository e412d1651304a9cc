using System.Data.Common;
using Cms.Core.Resources;
using Dapper;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Planning;

/// <summary>
/// A charging vehicle's next planned route, as the optimizer sees it: the vehicle leaves at the route's start (its
/// session's departure) and must by then hold what the route demands. stateOfCharge (%) of the battery, else energy
/// (kWh); what the battery already holds (battery × SoC) is subtracted, or, with no SoC known, what the session has
/// charged. A route with only a distance gives a departure and no energy figure.
/// </summary>
public static class RouteNeeds
{
    public sealed record RouteNeed(DateTimeOffset Start, double? EnergyKwh);

    /// <summary>The next route (starting after now) of each open session's vehicle in the network, by session id.</summary>
    public static async Task<IReadOnlyDictionary<string, RouteNeed>> LoadAsync(DbConnection conn, string networkId, DateTimeOffset now)
    {
        var rows = await conn.QueryAsync<(string SessionId, string Start, string? Demand, double? Battery, double? SoC, double? Charged)>(
            "SELECT s.id, r.start, r.demand, v.batteryCapacity, v.stateOfCharge, s.energyConsumed " +
            "FROM charging_sessions_live s JOIN vehicles v ON v.id = s.vehicleId " +
            "JOIN planned_routes r ON r.customerId = s.customerId AND (r.vehicleId = s.vehicleId OR (r.vehicleId IS NULL AND r.vehicleGroup = v.\"group\")) " +
            "WHERE s.networkId = @networkId AND r.start > @now ORDER BY s.id, r.start, r.id",
            new { networkId, now = Iso.Format(now) });
        var needs = new Dictionary<string, RouteNeed>();
        foreach (var r in rows)
            if (!needs.ContainsKey(r.SessionId))
                needs[r.SessionId] = new RouteNeed(Iso.Parse(r.Start), Need(r.Demand is null ? null : JObject.Parse(r.Demand), r.Battery, r.SoC, r.Charged));
        return needs;
    }

    public static double? Need(JObject? demand, double? batteryKwh, double? socPercent, double? chargedKwh)
    {
        var required = (double?)demand?["stateOfCharge"] is { } soc && batteryKwh is { } b ? b * soc / 100.0 : (double?)demand?["energy"];
        if (required is not { } kwh) return null;
        var held = batteryKwh is { } battery && socPercent is { } current ? battery * current / 100.0 : (double?)null;
        return Math.Max(0, held is { } h ? kwh - h : kwh - (chargedKwh ?? 0));
    }

    /// <summary>The session leaves at the route's start if that is sooner, needing at least what the route needs.</summary>
    public static PlanningSession Apply(PlanningSession session, RouteNeed? route)
    {
        if (route is null) return session;
        var departure = session.Departure is { } d && d < route.Start ? d : route.Start;
        var need = route.EnergyKwh is not { } routeKwh ? session.EnergyNeedKwh
            : session.EnergyNeedKwh is { } own ? Math.Max(own, routeKwh) : routeKwh;
        return session with { Departure = departure, EnergyNeedKwh = need };
    }
}
