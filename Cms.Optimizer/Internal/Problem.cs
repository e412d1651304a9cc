namespace Cms.Optimizer.Internal;

/// <summary>
/// The input normalised to integers: power in watts (W), energy in watt-periods (W held for one period).
/// Integer units make "never round up" exact: every cap is floored once here and sums can't drift.
/// Sessions are sorted by Id (ordinal) so tie-breaking never depends on input order.
/// </summary>
internal sealed class Problem
{
    public const long Unlimited = long.MaxValue / 8;

    public required int T { get; init; }
    public required double Hours { get; init; }
    public required double[] AvailableKw { get; init; }
    public required long[] AvailW { get; init; }
    public required long StepW { get; init; }
    public required long MinPosW { get; init; }
    public required double[]? Price { get; init; }
    public required long[] ExportW { get; init; }
    /// <summary>Baseload − solar per period (W): grid import = charging + this.</summary>
    public required long[] ImportOffsetW { get; init; }
    public required long PeakSoFarW { get; init; }

    public required int CpCount { get; init; }
    public required long[] CpCapW { get; init; }
    public required int[][] CpSessions { get; init; }

    public required int N { get; init; }
    public required SessionInput[] Sessions { get; init; }
    public required int[] Cp { get; init; }
    /// <summary>Per-period charging cap (connector/vehicle/measured), on the step grid; 0 if below the minimum load.</summary>
    public required long[] CapW { get; init; }
    public required long[] DischargeCapW { get; init; }
    /// <summary>Energy need in watt-periods, or <see cref="Unlimited"/>.</summary>
    public required long[] NeedWp { get; init; }
    /// <summary>First period the car is gone (T when it stays).</summary>
    public required int[] Dep { get; init; }
    public required bool[] MeasuredCapped { get; init; }

    public static long FloorW(double kw) => (long)Math.Floor(kw * 1000 + 1e-6);

    public static long CeilW(double kw) => (long)Math.Ceiling(kw * 1000 - 1e-6);

    public long FloorStep(long w) => w <= 0 ? 0 : w - w % StepW;

    public long CeilStep(long w) => w <= 0 ? 0 : (w + StepW - 1) / StepW * StepW;

    /// <summary>Largest allowed limit not above w: on the step grid and either 0 or at least the minimum load.</summary>
    public long Allowed(long w)
    {
        long x = FloorStep(w);
        return x >= MinPosW ? x : 0;
    }

    public static Problem From(OptimizationInput input)
    {
        var n = input.Network;
        int periods = n.Periods;
        long stepW = n.PowerStepKw > 0 ? (long)Math.Round(n.PowerStepKw * 1000) : 1;
        long minLoadW = Math.Max(1, CeilW(n.MinimumLoadKw));
        long minPosW = (minLoadW + stepW - 1) / stepW * stepW;

        var availKw = new double[periods];
        var availW = new long[periods];
        var exportW = new long[periods];
        var offsetW = new long[periods];
        for (int t = 0; t < periods; t++)
        {
            double a = n.GridLimitKw[t] * (1 - n.BufferFraction)
                       - (n.BaseloadKw?[t] ?? 0) + (n.SolarKw?[t] ?? 0) - n.ReservedKw;
            availKw[t] = Math.Max(0, a);
            availW[t] = Math.Max(0, FloorW(availKw[t]));
            exportW[t] = n.V2gExportKw is null ? 0 : Math.Max(0, CeilW(n.V2gExportKw[t]));
            offsetW[t] = CeilW((n.BaseloadKw?[t] ?? 0) - (n.SolarKw?[t] ?? 0));
        }

        // Charge points too are ordered by Id so their input order can't change the result.
        var chargePoints = input.ChargePoints.OrderBy(c => c.Id, StringComparer.Ordinal).ToArray();
        var cpIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var cpCap = new long[chargePoints.Length];
        for (int c = 0; c < chargePoints.Length; c++)
        {
            cpIndex[chargePoints[c].Id] = c;
            cpCap[c] = FloorW(chargePoints[c].MaxKw);
        }

        var sessions = input.Sessions.OrderBy(s => s.Id, StringComparer.Ordinal).ToArray();
        int count = sessions.Length;
        var cp = new int[count];
        var cap = new long[count];
        var dis = new long[count];
        var need = new long[count];
        var dep = new int[count];
        var measured = new bool[count];
        var cpLists = new List<int>[cpCap.Length];
        for (int c = 0; c < cpLists.Length; c++) cpLists[c] = new List<int>();
        for (int i = 0; i < count; i++)
        {
            var s = sessions[i];
            cp[i] = cpIndex[s.ChargePointId];
            cpLists[cp[i]].Add(i);
            long capW = Math.Min(FloorW(s.MaxKw), cpCap[cp[i]]);
            long measuredCap = MeasuredCap(s, minPosW);
            if (measuredCap < capW) { capW = measuredCap; measured[i] = true; }
            capW -= capW % stepW;
            cap[i] = capW >= minPosW ? capW : 0;
            long d = Math.Min(FloorW(s.MaxDischargeKw), cpCap[cp[i]]);
            d -= d % stepW;
            dis[i] = d >= minPosW ? d : 0;
            need[i] = s.EnergyNeedKwh is { } e ? (long)Math.Floor(e / n.PeriodHours * 1000 + 1e-6) : Unlimited;
            dep[i] = Math.Min(periods, s.DeparturePeriod ?? periods);
        }

        return new Problem
        {
            T = periods, Hours = n.PeriodHours, AvailableKw = availKw, AvailW = availW, StepW = stepW, MinPosW = minPosW,
            Price = n.Price, ExportW = exportW, ImportOffsetW = offsetW, PeakSoFarW = FloorW(n.PeakSoFarKw), CpCount = cpCap.Length, CpCapW = cpCap,
            CpSessions = cpLists.Select(l => l.ToArray()).ToArray(), N = count, Sessions = sessions, Cp = cp,
            CapW = cap, DischargeCapW = dis, NeedWp = need, Dep = dep, MeasuredCapped = measured,
        };
    }

    /// <summary>
    /// optimizeWithMeterValue: a car drawing clearly (more than 10 %) below its limit is capped at its draw plus
    /// a margin of max(1 kW, 10 %), never below the minimum load, so the freed power goes to the others. A car that
    /// drew what it was offered (<see cref="SessionInput.OfferedKw"/>, 0 included) is not capped: the plan held it
    /// back, and capping it would let it grow by only 1 kW a run once power is free.
    /// </summary>
    private static long MeasuredCap(SessionInput s, long minPosW)
    {
        if (s.MeasuredKw is not { } m || m >= 0.9 * s.MaxKw || s.OfferedKw is { } offered && m >= 0.9 * offered) return long.MaxValue;
        return Math.Max(minPosW, FloorW(m + Math.Max(1.0, 0.1 * m)));
    }
}
