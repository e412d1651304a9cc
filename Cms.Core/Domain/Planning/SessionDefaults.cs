using System.Collections.Concurrent;
using System.Data.Common;
using Cms.Core.Resources;
using Cms.Optimizer;
using Dapper;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Planning;

/// <summary>
/// Fills in an open session's unknown energy need or departure from the site's own history: closed sessions of the
/// same idTag, else the same vehicle, else the network (each needs <see cref="MinSamples"/> sessions of the last
/// <see cref="Window"/>). The default is the conditional median of <see cref="SessionHistory"/>, given what the
/// session has already charged and how long it has been plugged in. Histories are read once per network per
/// <see cref="Refresh"/> and cached. Every default used is returned, so the run can show it.
/// A car whose need is unknown and that stopped drawing after it charged is full: its need is 0 (see
/// <see cref="StoppedAsync"/>), with or without history, so its power goes to the others at once.
/// </summary>
public sealed class SessionDefaults
{
    public const int MinSamples = 5;
    public static readonly TimeSpan Window = TimeSpan.FromDays(90);
    public static readonly TimeSpan Refresh = TimeSpan.FromHours(1);

    private sealed record Histories(DateTimeOffset LoadedAt, IReadOnlyDictionary<string, SessionHistory> ByKey);

    private readonly ConcurrentDictionary<string, Histories> _cache = new();

    /// <param name="conn">An open read connection (the planning snapshot's), used only when the cache is stale.</param>
    /// <returns>The snapshot with defaults filled in, the defaults used, and whether the network has usable history
    /// (the optimizer then plans unknown needs with the horizon plan instead of the per-period split).</returns>
    public async Task<(PlanningSnapshot Snapshot, IReadOnlyList<JObject> Used, bool HasHistory)> FillAsync(DbConnection conn,
        string customerId, string networkId, PlanningSnapshot snapshot, DateTimeOffset now)
    {
        if (snapshot.Sessions.All(s => s.EnergyNeedKwh is not null && s.Departure is not null)) return (snapshot, [], false);
        var histories = await LoadAsync(conn, customerId, networkId, now);
        var stopped = snapshot.Sessions.Any(s => s.EnergyNeedKwh is null && s.DeliveredKwh > 0)
            ? await StoppedAsync(conn, networkId) : [];
        var used = new List<JObject>();
        var sessions = snapshot.Sessions.Select(s =>
        {
            if (s.EnergyNeedKwh is not null && s.Departure is not null) return s;
            if (s.EnergyNeedKwh is null && s.DeliveredKwh > 0 && stopped.Contains(s.Id))
            {
                used.Add(new JObject
                {
                    ["chargingSession"] = s.Id, ["source"] = "evStopped", ["energyNeedKwh"] = 0.0, ["deliveredKwh"] = Math.Round(s.DeliveredKwh, 3),
                });
                return s with { EnergyNeedKwh = 0 };
            }
            var (source, history) = Pick(histories.ByKey, s);
            if (history is null) return s;
            var filled = s;
            var note = new JObject { ["chargingSession"] = s.Id, ["source"] = source, ["samples"] = history.EnergySamples };
            if (s.EnergyNeedKwh is null && history.RemainingEnergyKwh(s.DeliveredKwh) is { } need)
            {
                filled = filled with { EnergyNeedKwh = need };
                note["energyNeedKwh"] = Math.Round(need, 3);
                note["medianEnergyKwh"] = history.MedianEnergyKwh;
            }
            var elapsed = s.SessionStart is { } started ? Math.Max(0, (now - started).TotalHours) : 0;
            if (s.Departure is null && history.RemainingHours(elapsed) is { } hours)
            {
                filled = filled with { Departure = now + TimeSpan.FromHours(hours) };
                note["departure"] = Iso.Format(filled.Departure!.Value);
                note["medianDwellHours"] = history.MedianDwellHours;
            }
            if (!ReferenceEquals(filled, s)) used.Add(note);
            return filled;
        }).ToList();
        return (snapshot with { Sessions = sessions }, used, histories.ByKey.ContainsKey("network"));
    }

    /// <summary>
    /// Open sessions whose EV stopped drawing: the last Charging or SuspendedEV status its connector reported since the
    /// session started is SuspendedEV (OCPP: the EVSE offers energy and the EV does not take it). The charger reports it
    /// the moment the car is full and Core replans on it (<see cref="Ocpp.ChargerStatus"/>). Read from the status
    /// history, so the answer survives the SuspendedEVSE a 0 limit brings and a restart or another node planning.
    /// A car that stopped before it charged anything (a timer of its own) is not counted: the caller requires energy.
    /// </summary>
    private static async Task<HashSet<string>> StoppedAsync(DbConnection conn, string networkId) =>
        (await conn.QueryAsync<string>(
            "SELECT s.id FROM charging_sessions_live s WHERE s.\"networkId\" = @networkId AND (SELECT h.\"status\" FROM status_history h " +
            "WHERE h.\"connectorId\" = s.\"connectorId\" AND h.\"kind\" = 'status' AND h.\"at\" >= s.\"sessionStart\" " +
            "AND h.\"status\" IN ('Charging', 'SuspendedEV') ORDER BY h.\"at\" DESC, h.id DESC LIMIT 1) = 'SuspendedEV'",
            new { networkId })).ToHashSet();

    private static (string Source, SessionHistory? History) Pick(IReadOnlyDictionary<string, SessionHistory> byKey, PlanningSession s)
    {
        if (s.IdTag is { } tag && byKey.TryGetValue("idTag:" + tag, out var h)) return ("idTag", h);
        if (s.VehicleId is { } vehicle && byKey.TryGetValue("vehicle:" + vehicle, out h)) return ("vehicle", h);
        return byKey.TryGetValue("network", out h) ? ("network", h) : ("none", null);
    }

    private async Task<Histories> LoadAsync(DbConnection conn, string customerId, string networkId, DateTimeOffset now)
    {
        if (_cache.TryGetValue(networkId, out var cached) && now - cached.LoadedAt < Refresh && now >= cached.LoadedAt) return cached;
        var rows = await conn.QueryAsync<(string? IdTag, string? VehicleId, string Start, string End, double? MeterStart, double? MeterStop,
            double? FirstRegister, double? Consumed)>(
            "SELECT s.idTag, s.vehicleId, s.sessionStart, s.sessionEnd, " + ClosedSessionEnergy.Columns + " FROM charging_sessions s " +
            "WHERE s.networkId = @networkId AND s.customerId = @customerId AND s.sessionEnd IS NOT NULL AND s.sessionEnd >= @since " +
            "ORDER BY s.sessionEnd DESC LIMIT 20000",
            new { networkId, customerId, since = Iso.Format(now - Window) });
        var samples = rows.Select(r => (r.IdTag, r.VehicleId, r.Start, r.End, Kwh: ClosedSessionEnergy.Kwh(r.MeterStart, r.MeterStop, r.FirstRegister, r.Consumed)))
            .Where(r => r.Kwh > 0)
            .Select(r => (r.IdTag, r.VehicleId, Kwh: r.Kwh!.Value, Hours: (Iso.Parse(r.End) - Iso.Parse(r.Start)).TotalHours))
            .Where(r => r.Hours > 0).ToList();
        var byKey = new Dictionary<string, SessionHistory>();
        void Add(string key, IReadOnlyCollection<(string? IdTag, string? VehicleId, double Kwh, double Hours)> group)
        {
            if (group.Count >= MinSamples) byKey[key] = new SessionHistory(group.Select(g => g.Kwh), group.Select(g => g.Hours));
        }
        foreach (var g in samples.Where(r => r.IdTag is not null).GroupBy(r => r.IdTag!)) Add("idTag:" + g.Key, g.ToList());
        foreach (var g in samples.Where(r => r.VehicleId is not null).GroupBy(r => r.VehicleId!)) Add("vehicle:" + g.Key, g.ToList());
        Add("network", samples);
        var loaded = new Histories(now, byKey);
        _cache[networkId] = loaded;
        return loaded;
    }
}
