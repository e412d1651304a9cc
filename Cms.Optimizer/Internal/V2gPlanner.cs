namespace Cms.Optimizer.Internal;

/// <summary>
/// vehicle_to_grid. Modelling choice (documented in the README of this project): a car with MaxDischargeKw &gt; 0 is
/// assumed to hold enough energy to give that power during the event; whatever it gives is added to its energy
/// need, so the fleet plan recharges it before departure where physically possible. In export periods nobody
/// charges; dischargers share the export equally (within their discharge cap and their charge point's cap).
/// </summary>
internal static class V2gPlanner
{
    /// <summary>Discharge per session × period in watts (positive numbers).</summary>
    public static long[] PlanDischarge(Problem p)
    {
        var d = new long[p.N * p.T];
        for (int t = 0; t < p.T; t++)
        {
            if (p.ExportW[t] <= 0) continue;
            var who = Enumerable.Range(0, p.N).Where(i => p.DischargeCapW[i] > 0 && t < p.Dep[i]).ToList();
            if (who.Count == 0) continue;
            long target = p.CeilStep(p.ExportW[t]);
            // As many dischargers as can each give at least the minimum load (the first by Id).
            int k = (int)Math.Clamp(target / p.MinPosW, 1, who.Count);
            var cpRoom = (long[])p.CpCapW.Clone();
            long given = 0;
            bool progress = true;
            // Equal shares, then round-robin steps: simple and exact to the step; k is small in practice.
            long share = p.FloorStep(target / k);
            for (int j = 0; j < k; j++)
            {
                int i = who[j];
                long x = p.Allowed(Math.Min(Math.Min(share, p.DischargeCapW[i]), cpRoom[p.Cp[i]]));
                if (x <= 0) continue;
                d[i * p.T + t] = x;
                cpRoom[p.Cp[i]] -= x;
                given += x;
            }
            while (given < target && progress)
            {
                progress = false;
                foreach (int i in who)
                {
                    if (given >= target) break;
                    long x = d[i * p.T + t];
                    long want = x == 0 ? p.MinPosW : p.StepW;
                    long room = Math.Min(p.DischargeCapW[i] - x, cpRoom[p.Cp[i]]);
                    if (room < want) continue;
                    long add = x == 0 ? want : p.FloorStep(Math.Min(room, Math.Max(p.StepW, target - given)));
                    d[i * p.T + t] = x + add;
                    cpRoom[p.Cp[i]] -= add;
                    given += add;
                    progress = true;
                }
            }
        }
        return d;
    }
}
