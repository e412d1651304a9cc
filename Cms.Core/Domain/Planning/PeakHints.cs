using System.Collections.Concurrent;
using System.Data.Common;
using Cms.Core.Resources;
using Cms.Optimizer;
using Cms.Optimizer.Simulation;
using Dapper;

namespace Cms.Core.Domain.Planning;

/// <summary>Whether fleet networks without prices plan the lowest peak (<c>Optimizer:MinimizePeak</c>, default off).</summary>
public sealed record PeakOptions(bool MinimizePeak);

/// <summary>
/// The peak hint of <see cref="NetworkLimits.MinimizePeak"/>, learned from the site's own recent days: for each of the
/// last <see cref="Days"/> 24-hour windows before now (the same time of day), the closed sessions recorded in it
/// (clipped to the window, energy pro-rated), the network's limits, baseload and solar of that window; the lowest
/// import peak at which they could all have got the most energy (<see cref="PeakHint.LowestPeakKw"/>); the hint is the
/// median over the days that had sessions (<see cref="PeakHint.FromPastDays"/>). Cached per network for
/// <see cref="Refresh"/>. 0 = no history (the plan then finds its peak online).
/// </summary>
public sealed class PeakHints
{
    public const int Days = 7;
    public static readonly TimeSpan Refresh = TimeSpan.FromHours(1);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private readonly ConcurrentDictionary<string, (DateTimeOffset LoadedAt, double HintKw)> _cache = new();

    /// <param name="conn">An open read connection (the planning snapshot's), used only when the cache is stale.</param>
    public async Task<double> HintKwAsync(DbConnection conn, string customerId, string networkId, PlanningSnapshot snapshot, DateTimeOffset now)
    {
        if (_cache.TryGetValue(networkId, out var cached) && now - cached.LoadedAt < Refresh && now >= cached.LoadedAt) return cached.HintKw;
        var period = OptimizerInputBuilder.Period;
        int periods = (int)(Day / period);
        var rows = (await conn.QueryAsync<(string ChargePointId, string Start, string End, double? ConnectorMax, double? MeterStart,
                double? MeterStop, double? FirstRegister, double? Consumed)>(
            "SELECT s.chargePointId, s.sessionStart, s.sessionEnd, c.maxCapacity, " + ClosedSessionEnergy.Columns + " FROM charging_sessions s " +
            "LEFT JOIN connectors c ON c.id = s.connectorId WHERE s.networkId = @networkId AND s.customerId = @customerId " +
            "AND s.sessionEnd IS NOT NULL AND s.sessionEnd >= @since ORDER BY s.sessionEnd LIMIT 50000",
            new { networkId, customerId, since = Iso.Format(now - Days * Day) }))
            .Select(r => (r.ChargePointId, r.Start, r.End, r.ConnectorMax, Kwh: ClosedSessionEnergy.Kwh(r.MeterStart, r.MeterStop, r.FirstRegister, r.Consumed)))
            .Where(r => r.Kwh > 0)
            .Select(r => (r.ChargePointId, Start: Iso.Parse(r.Start), End: Iso.Parse(r.End), Kwh: r.Kwh!.Value, r.ConnectorMax))
            .Where(r => r.End > r.Start).ToList();
        var chargePoints = snapshot.ChargePoints.Select(cp => new ChargePointLimit(cp.Id, cp.MaxKw)).ToList();
        var cpMax = chargePoints.ToDictionary(cp => cp.Id, cp => cp.MaxKw);
        var buffer = snapshot.Network.Double("maxCapacityBuffer") ?? 0.02; // as OptimizerInputBuilder reads it
        var peaks = new List<double>();
        for (int k = 1; k <= Days && rows.Count > 0; k++)
        {
            var from = now - k * Day;
            var to = from + Day;
            var sessions = new List<ReplaySession>();
            foreach (var r in rows)
            {
                if (r.End <= from || r.Start >= to || !cpMax.TryGetValue(r.ChargePointId, out var max)) continue;
                var start = r.Start < from ? from : r.Start;
                var end = r.End > to ? to : r.End;
                int arrival = (int)Math.Floor((start - from) / period), departure = (int)Math.Ceiling((end - from) / period);
                if (departure <= arrival) continue;
                double kwh = r.Kwh * (end - start).TotalHours / (r.End - r.Start).TotalHours;
                sessions.Add(new ReplaySession($"s{sessions.Count}", r.ChargePointId, Math.Min(max, r.ConnectorMax ?? max), arrival, departure, kwh));
            }
            if (sessions.Count == 0) continue;
            var signals = await NetworkSignals.LoadAsync(conn, customerId, networkId, from, periods, period);
            var offset = new double[periods];
            for (int t = 0; t < periods; t++)
                offset[t] = (signals.BaseloadActive ? signals.BaseloadKw[t] : 0) - (signals.SolarActive ? signals.SolarKw[t] : 0);
            var day = new ReplayInput(periods, period.TotalHours, signals.GridLimitKw, buffer, null, 0, 0,
                chargePoints, sessions, Objective.Fleet);
            peaks.Add(PeakHint.LowestPeakKw(day, offset));
        }
        double hint = PeakHint.FromPastDays(peaks);
        _cache[networkId] = (now, hint);
        return hint;
    }
}
