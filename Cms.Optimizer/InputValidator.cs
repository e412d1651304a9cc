namespace Cms.Optimizer;

/// <summary>Rejects malformed input up front, naming the offending field, so the solver can assume sane data.</summary>
internal static class InputValidator
{
    public static void Validate(OptimizationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Network is null) throw new ArgumentException("Network is required.", nameof(input.Network));
        if (input.ChargePoints is null) throw new ArgumentException("ChargePoints is required.", nameof(input.ChargePoints));
        if (input.Sessions is null) throw new ArgumentException("Sessions is required.", nameof(input.Sessions));
        if (!Enum.IsDefined(input.Objective)) throw new ArgumentException("Unknown objective.", nameof(input.Objective));
        ValidateNetwork(input.Network);

        var cps = new HashSet<string>(StringComparer.Ordinal);
        for (int c = 0; c < input.ChargePoints.Count; c++)
        {
            var cp = input.ChargePoints[c];
            string name = $"ChargePoints[{c}]";
            if (cp is null) throw new ArgumentException("Charge point is null.", name);
            if (string.IsNullOrEmpty(cp.Id)) throw new ArgumentException("Id is empty.", name + ".Id");
            if (!cps.Add(cp.Id)) throw new ArgumentException($"Duplicate charge point id '{cp.Id}'.", name + ".Id");
            NonNegative(cp.MaxKw, name + ".MaxKw");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < input.Sessions.Count; i++)
        {
            var s = input.Sessions[i];
            string name = $"Sessions[{i}]";
            if (s is null) throw new ArgumentException("Session is null.", name);
            if (string.IsNullOrEmpty(s.Id)) throw new ArgumentException("Id is empty.", name + ".Id");
            if (!ids.Add(s.Id)) throw new ArgumentException($"Duplicate session id '{s.Id}'.", name + ".Id");
            if (s.ChargePointId is null || !cps.Contains(s.ChargePointId))
                throw new ArgumentException($"Unknown charge point '{s.ChargePointId}'.", name + ".ChargePointId");
            NonNegative(s.MaxKw, name + ".MaxKw");
            if (s.Priority is < 0 or > 5) throw new ArgumentException("Priority must be 0..5.", name + ".Priority");
            if (s.EnergyNeedKwh is { } need) NonNegative(need, name + ".EnergyNeedKwh");
            if (s.DeliveredKwh is { } got) NonNegative(got, name + ".DeliveredKwh");
            if (s.DeparturePeriod is < 0) throw new ArgumentException("DeparturePeriod must be >= 0.", name + ".DeparturePeriod");
            if (s.MeasuredKw is { } m) NonNegative(m, name + ".MeasuredKw");
            if (s.OfferedKw is { } o) NonNegative(o, name + ".OfferedKw");
            NonNegative(s.MaxDischargeKw, name + ".MaxDischargeKw");
            if (s.PreviousLimitsKw is { } prev)
                foreach (var v in prev)
                    if (!double.IsFinite(v)) throw new ArgumentException("Must be finite.", name + ".PreviousLimitsKw");
        }
    }

    private static void ValidateNetwork(NetworkLimits n)
    {
        if (n.Periods <= 0) throw new ArgumentException("Periods must be positive.", "Network.Periods");
        if (!(n.PeriodHours > 0) || !double.IsFinite(n.PeriodHours))
            throw new ArgumentException("PeriodHours must be positive.", "Network.PeriodHours");
        PerPeriod(n.GridLimitKw, n.Periods, "Network.GridLimitKw", required: true);
        PerPeriod(n.BaseloadKw, n.Periods, "Network.BaseloadKw", required: false);
        PerPeriod(n.SolarKw, n.Periods, "Network.SolarKw", required: false);
        PerPeriod(n.V2gExportKw, n.Periods, "Network.V2gExportKw", required: false);
        if (n.Price is not null)
        {
            if (n.Price.Length != n.Periods) throw new ArgumentException("Needs one value per period.", "Network.Price");
            foreach (var p in n.Price)
                if (!double.IsFinite(p) || Math.Abs(p) > 1e6) throw new ArgumentException("Price must be finite and |p| <= 1e6.", "Network.Price");
        }
        if (!(n.BufferFraction >= 0 && n.BufferFraction < 1))
            throw new ArgumentException("BufferFraction must be in [0, 1).", "Network.BufferFraction");
        NonNegative(n.ReservedKw, "Network.ReservedKw");
        NonNegative(n.PeakSoFarKw, "Network.PeakSoFarKw");
        NonNegative(n.MinimumLoadKw, "Network.MinimumLoadKw");
        NonNegative(n.PowerStepKw, "Network.PowerStepKw");
        double stepW = n.PowerStepKw * 1000;
        if (n.PowerStepKw > 0 && (stepW < 1 - 1e-9 || Math.Abs(stepW - Math.Round(stepW)) > 1e-6))
            throw new ArgumentException("PowerStepKw must be a multiple of 0.001 kW.", "Network.PowerStepKw");
    }

    private static void PerPeriod(double[]? values, int periods, string name, bool required)
    {
        if (values is null)
        {
            if (required) throw new ArgumentException("Required.", name);
            return;
        }
        if (values.Length != periods) throw new ArgumentException("Needs one value per period.", name);
        foreach (var v in values) NonNegative(v, name);
    }

    private static void NonNegative(double v, string name)
    {
        // 1e7 kW keeps every watt-based integer product far from overflow.
        if (!double.IsFinite(v) || v < 0 || v > 1e7)
            throw new ArgumentException("Must be a finite number in [0, 1e7].", name);
    }
}
