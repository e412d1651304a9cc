using Cms.Core.Resources;
using Cms.Optimizer;
using Cms.Optimizer.Simulation;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Simulations;

/// <summary>
/// Turns recorded sessions and what-if options into a replay of the real optimizer (15-minute periods from midnight
/// UTC of the first session's day; a session plugs in at the first period boundary after it connected and leaves at
/// the last one before it disconnected, asking for what it really took) and renders the figures.
/// </summary>
public static class SimulationRunner
{
    private static readonly TimeSpan Period = TimeSpan.FromMinutes(15);

    /// <param name="network">The network row (null on the command line without a store): defaults for the options.</param>
    /// <param name="chargePoints">The site's charge points; null = one per station, capped at its sessions' largest maxKw.</param>
    public static JObject Run(SimulationOptions options, IDictionary<string, object?>? network, IReadOnlyList<AcnSession> sessions,
        IReadOnlyList<ChargePointLimit>? chargePoints)
    {
        var capacity = options.MaxCapacity ?? network?.Double("maxCapacity")
            ?? throw ApiFailure.BadRequest("maxCapacity", "is required (no network to take it from)");
        var objectiveName = options.Objective ?? network?.Str("objective") switch { "fleet" => "fleet", _ => "load_sharing" };
        var objective = objectiveName == "fleet" ? Objective.Fleet : Objective.LoadSharing;
        if (sessions.Count == 0) throw ApiFailure.BadRequest(options.Source == "store" ? "from" : "sessions", "no closed session to replay");
        var origin = sessions.Min(s => s.ConnectionTime).UtcDateTime.Date;
        var start = new DateTimeOffset(origin, TimeSpan.Zero);
        var lastArrival = sessions.Max(s => s.ConnectionTime);
        if (lastArrival - start > SimulationOptions.MaxSpan + TimeSpan.FromDays(1))
            throw ApiFailure.BadRequest(options.Source == "store" ? "to" : "sessions", $"the sessions arrive over more than {SimulationOptions.MaxSpan.TotalDays:F0} days");
        // A car parked for days would stretch the run: the replay ends a day after the last arrival (stays are cut there).
        var end = new[] { sessions.Max(s => s.DisconnectTime), lastArrival + TimeSpan.FromDays(1) }.Min();
        int periods = Math.Max(1, (int)Math.Ceiling((end - start) / Period));

        var replaySessions = new List<ReplaySession>();
        int skipped = 0;
        foreach (var (s, k) in sessions.Select((s, k) => (s, k)))
        {
            int arrival = (int)Math.Ceiling((s.ConnectionTime - start) / Period - 1e-9);
            int departure = Math.Min(periods, (int)Math.Floor((s.DisconnectTime - start) / Period + 1e-9));
            if (departure <= arrival || s.KwhDelivered <= 0) { skipped++; continue; }
            replaySessions.Add(new ReplaySession($"s{k:D5}", s.StationId, s.MaxKw ?? SimulationOptions.DefaultMaxKw, arrival, departure, s.KwhDelivered));
        }
        var cps = chargePoints?.ToList() ?? replaySessions.GroupBy(s => s.ChargePointId)
            .Select(g => new ChargePointLimit(g.Key, g.Max(s => s.MaxKw))).OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
        var known = cps.Select(c => c.Id).ToHashSet();
        skipped += replaySessions.RemoveAll(s => !known.Contains(s.ChargePointId));

        var input = new ReplayInput(periods, Period.TotalHours, Enumerable.Repeat(capacity, periods).ToArray(),
            options.MaxCapacityBuffer ?? network?.Double("maxCapacityBuffer") ?? 0.02,
            options.Prices is { } hourly ? Enumerable.Range(0, periods).Select(t => hourly[t / 4 % 24]).ToArray() : null,
            options.ConnectorMinimumLoad ?? network?.Double("connectorMinimumLoad") ?? 0,
            Math.Round(options.ConnectorPowerStep ?? network?.Double("connectorPowerStep") ?? 0, 3),
            cps, replaySessions, objective, options.MinimizePeak);
        var result = Replay.Run(input);

        var output = new JObject
        {
            ["source"] = options.Source,
            ["start"] = Iso.Format(start),
            ["end"] = Iso.Format(start + periods * Period),
            ["periods"] = periods,
            ["sessions"] = replaySessions.Count,
            ["skippedSessions"] = skipped,
            ["maxCapacity"] = capacity,
            ["objective"] = objectiveName,
            ["energyRequestedKwh"] = Math.Round(result.RequestedKwh, 3),
            ["energyDeliveredKwh"] = Math.Round(result.DeliveredKwh, 3),
            ["optimumEnergyKwh"] = Math.Round(result.OptimumKwh, 3),
            ["percentOfOptimum"] = Math.Round(result.PercentOfOptimum, 3),
            ["cost"] = options.Prices is null ? null : Math.Round(result.Cost, 2),
            ["peakKw"] = Math.Round(result.PeakKw, 3),
            ["onTimePct"] = Math.Round(result.OnTimePct, 2),
            ["violations"] = result.Violations,
            ["optimizerRuns"] = result.Runs,
        };
        if (options.IncludeLoadCurve)
            output["loadCurve"] = new JArray(result.LoadKw.Select((kw, t) => new JObject { ["time"] = Iso.Format(start + t * Period), ["kw"] = Math.Round(kw, 3) }));
        return output;
    }
}
