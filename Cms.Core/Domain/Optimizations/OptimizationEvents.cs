using Cms.Core.Domain.Planning;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Optimizations;

/// <summary>One session's new limits: kW per period from the run's start, ending at its departure when that comes first.</summary>
public sealed record PlannedSchedule(PlanningSession Session, double[] LimitsKw);

/// <summary>
/// A run's schedules as soon as they are known, before anything is stored: OCPP delivery takes them from here so a
/// charger's new limit never waits for SQLite. <see cref="OptimizationsPublished"/> follows once they are stored.
/// </summary>
public sealed record SchedulesPlanned(string CustomerId, string NetworkId, string Objective, DateTimeOffset Start,
    IReadOnlyList<PlannedSchedule> Schedules, IReadOnlyList<Reservation> Reservations)
{
    private readonly TaskCompletionSource _delivered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How the run went (gap, time, fallback, defaults used); null for runs that planned nothing.</summary>
    public RunReport? Report { get; init; }

    /// <summary>Completes once OCPP delivery is done with this run (sent and answered, failed, or skipped as superseded).</summary>
    public Task Delivered => _delivered.Task;

    public void MarkDelivered() => _delivered.TrySetResult();
}

/// <summary>One new optimization, as stored, with the session it is for.</summary>
public sealed record PublishedOptimization(string Id, PlanningSession Session, double[] LimitsKw, Lazy<JObject> Rendered)
{
    /// <summary>The optimization as the API shows it, rendered on first use (a webhook), not for every session of every run.</summary>
    public JObject Optimization => Rendered.Value;
}

/// <summary>A network's schedules were replaced and stored; <see cref="Items"/> is empty when no session is planned any more.</summary>
public sealed record OptimizationsPublished(string CustomerId, string NetworkId, string Objective, DateTimeOffset Start,
    IReadOnlyList<PublishedOptimization> Items)
{
    /// <summary>reservedPower held for idle connectors, delivered as their TxDefaultProfile.</summary>
    public IReadOnlyList<Reservation> Reservations { get; init; } = [];
}
