using Cms.Core.Resources;
using Cms.Optimizer;

namespace Cms.Core.Domain.Planning;

/// <summary>Translates a network's stored state and signals into the optimizer's pure input model.</summary>
/// <summary>Power held free for a connector without a session (connector 0 = the whole charge point).</summary>
public sealed record Reservation(string ChargePointId, string Key, int ConnectorNumber, double Kw);

public static class OptimizerInputBuilder
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(15);

    public static Objective ObjectiveOf(string objective) => objective switch
    {
        "fleet" => Objective.Fleet,
        "vehicle_to_grid" => Objective.VehicleToGrid,
        "off" => Objective.Off,
        _ => Objective.LoadSharing, // load_sharing and load_sharing_network_group
    };

    /// <param name="withPriceConstraints">False for the second run when onTimeDeparture drops the soft price constraints.</param>
    public static OptimizationInput Build(PlanningSnapshot snapshot, NetworkSignals signals, DateTimeOffset start,
        IReadOnlyDictionary<string, double[]> previousLimits, bool withPriceConstraints, Func<string, bool>? deliveryFailed = null)
    {
        var network = snapshot.Network;
        var periods = signals.Periods;
        var grid = signals.GridLimitKw.ToArray();
        if (withPriceConstraints && signals.PriceConstraintsActive)
            for (var t = 0; t < periods; t++) grid[t] *= signals.PriceCapacityRatio[t];

        var limits = new NetworkLimits
        {
            Periods = periods,
            PeriodHours = Period.TotalHours,
            GridLimitKw = grid,
            BufferFraction = network.Double("maxCapacityBuffer") ?? 0.02, // a fraction: the spec's default 0.02 is 2 %
            BaseloadKw = signals.BaseloadActive ? signals.BaseloadKw : null,
            SolarKw = signals.SolarActive ? signals.SolarKw : null,
            Price = signals.Price.All(p => p is null) ? null : signals.Price.Select(p => p ?? 0).ToArray(),
            ReservedKw = ReservedKw(snapshot),
            V2gExportKw = signals.V2gExportKw.Any(v => v > 0) ? signals.V2gExportKw : null,
            MinimumLoadKw = network.Double("connectorMinimumLoad") ?? 1,
            PowerStepKw = Math.Round(network.Double("connectorPowerStep") ?? 0, 3),
        };

        var objective = ObjectiveOf(snapshot.Objective);
        var chargePoints = snapshot.ChargePoints.ToDictionary(cp => cp.Id);
        var groupPriority = network.Str("vehicleGroupPriority");
        var optimizeWithMeter = network.Bool("optimizeWithMeterValue");
        var sessions = snapshot.Sessions.Select(s =>
        {
            var cp = chargePoints[s.ChargePointId];
            // A session whose charger refuses our limits may draw its maximum whatever it draws now: plan it there
            // (opt-out, measured draw ignored) so the rest stays safe.
            var refusing = deliveryFailed?.Invoke(s.Id) == true;
            // Without powerSplit a multi-connector charger cannot shift power between outlets: each gets an equal share.
            var maxKw = cp.PowerSplit == false && cp.Connectors > 1 ? Math.Min(s.MaxKw, cp.MaxKw / cp.Connectors) : s.MaxKw;
            return new SessionInput
            {
                Id = s.Id,
                ChargePointId = s.ChargePointId,
                MaxKw = InRange(maxKw),
                Priority = refusing ? 0 : s.Priority,
                EnergyNeedKwh = s.EnergyNeedKwh is { } need ? InRange(need) : null,
                DeliveredKwh = s.DeliveredKwh is { } got ? InRange(got) : null,
                DeparturePeriod = s.Departure is { } d ? Math.Clamp((int)Math.Ceiling((d - start) / Period), 0, periods) : null,
                MeasuredKw = optimizeWithMeter && !refusing && s.MeasuredKw is { } m ? InRange(m) : null,
                OfferedKw = s.OfferedKw is { } offered ? InRange(offered) : null,
                MaxDischargeKw = objective == Objective.VehicleToGrid ? InRange(maxKw) : 0,
                GroupPriority = groupPriority switch
                {
                    "known vehicles" => s.HasVehicle ? 0 : 1,
                    "unknown vehicles" => s.HasVehicle ? 1 : 0,
                    _ => 0,
                },
                PreviousLimitsKw = previousLimits.GetValueOrDefault(s.Id),
            };
        }).ToList();

        return new OptimizationInput(limits, snapshot.ChargePoints.Select(cp => new ChargePointLimit(cp.Id, InRange(cp.MaxKw))).ToList(), sessions, objective);
    }

    /// <summary>
    /// Stored figures come from chargers too (a station's limit, an EV's needs, a meter reading) and may be absurd while
    /// schema-valid: the optimizer takes 0..1e7, and one bad value must not stop a network's planning.
    /// </summary>
    private static double InRange(double value) => double.IsNaN(value) ? 0 : Math.Clamp(value, 0, 1e7);

    /// <summary>
    /// reservedPower is kept free for connectors without a session, at most each connector's maximum
    /// (spec); with connectorReservedPowerSplit false it is reserved once per charge point instead.
    /// </summary>
    private static double ReservedKw(PlanningSnapshot snapshot) => Reservations(snapshot).Sum(r => r.Kw);

    /// <summary>Where reservedPower is held: each idle connector, or (split off) connector 0 of each charge point without a session.</summary>
    public static IReadOnlyList<Reservation> Reservations(PlanningSnapshot snapshot)
    {
        if (snapshot.Network.Double("reservedPower") is not { } reserved || reserved <= 0) return [];
        if (snapshot.Network.Str("connectorReservedPowerSplit") is null || snapshot.Network.Bool("connectorReservedPowerSplit"))
            return snapshot.IdleConnectors.Select(c => new Reservation(c.ChargePointId, c.ConnectorId, c.Number, Math.Min(reserved, c.MaxKw))).ToList();
        var busy = snapshot.Sessions.Select(s => s.ChargePointId).ToHashSet();
        return snapshot.ChargePoints.Where(cp => !busy.Contains(cp.Id) && cp.Connectors > 0)
            .Select(cp => new Reservation(cp.Id, cp.Id, 0, Math.Min(reserved, cp.MaxKw))).ToList();
    }
}
