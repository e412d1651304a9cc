using Cms.Core.Domain.Optimizations;
using Cms.Core.Domain.Planning;

namespace Cms.Core.Domain.Alerts;

/// <summary>
/// The power limit in force per session, from the plans as they are made (in memory: no read per meter value).
/// A new, lower limit needs a moment to reach the charger and take effect, so for <see cref="Grace"/> after a plan
/// the previous plan's limit still counts when it is higher.
/// </summary>
public sealed class LimitTracker
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(60);

    private sealed record Plan(DateTimeOffset Start, double[] LimitsKw);

    private readonly Dictionary<string, (Plan Current, Plan? Previous, string NetworkId)> _sessions = [];

    /// <summary>Takes a network's new plan; returns the sessions of that network that are no longer planned.</summary>
    public List<string> Update(SchedulesPlanned run)
    {
        var planned = run.Schedules.Select(s => s.Session.Id).ToHashSet();
        var gone = _sessions.Where(s => s.Value.NetworkId == run.NetworkId && !planned.Contains(s.Key)).Select(s => s.Key).ToList();
        foreach (var id in gone) _sessions.Remove(id);
        foreach (var schedule in run.Schedules)
        {
            var plan = new Plan(run.Start, schedule.LimitsKw);
            _sessions[schedule.Session.Id] = _sessions.TryGetValue(schedule.Session.Id, out var old)
                ? (plan, old.Current, run.NetworkId) : (plan, null, run.NetworkId);
        }
        return gone;
    }

    /// <summary>The limit (kW) in force for a session at t; null when no plan covers it.</summary>
    public double? LimitAt(string sessionId, DateTimeOffset t)
    {
        if (!_sessions.TryGetValue(sessionId, out var s)) return null;
        var current = At(s.Current, t);
        if (t - s.Current.Start >= Grace || s.Previous is null) return current;
        var previous = At(s.Previous, t);
        return current is null ? previous : previous is null ? current : Math.Max(current.Value, previous.Value);
    }

    private static double? At(Plan plan, DateTimeOffset t)
    {
        var k = (int)Math.Floor((t - plan.Start) / OptimizerInputBuilder.Period);
        // A measurement stamped a little before the plan (clock skew) is held to its first period.
        if (k < 0) k = 0;
        return k < plan.LimitsKw.Length ? plan.LimitsKw[k] : null;
    }
}
