namespace Cms.Optimizer.Bench;

/// <summary>One line of the summary table: a policy's closed-loop figures against the clairvoyant references.</summary>
public sealed record Row(RunStats Stats, double EStar, double? CStar, double? PStar, string Target);

public static class Report
{
    public static void Print(List<Row> rows)
    {
        Console.WriteLine();
        Console.WriteLine("| scenario | policy | viol. | % of E* | on-time % | cost $ | cost / C* | peak kW | peak / P* | Jain | CPU p50 ms | CPU p95 ms | max active | target |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (s, eStar, cStar, pStar, target) in rows)
        {
            string costRatio = cStar is { } c && c > 0 ? $"{100 * s.Cost / c:F1} %" : "–";
            string peakRatio = pStar is { } p && p > 0 ? $"{s.PeakKw / p:F3}" : "–";
            Console.WriteLine($"| {s.Scenario} | {s.Policy} | {s.Violations} | {100 * s.DeliveredKwh / eStar:F2} | {s.OnTimePct:F1} | " +
                              $"{s.Cost:F0} | {costRatio} | {s.PeakKw:F1} | {peakRatio} | {s.Jain:F3} | {s.CpuP50Ms:F2} | {s.CpuP95Ms:F2} | " +
                              $"{s.MaxActive} | {target} |");
        }
        Console.WriteLine();
        Console.WriteLine("E* = clairvoyant max energy (every arrival known, no min load/step; Dinic max-flow). C* = cheapest cost of E* " +
                          "(min-cost flow, sizes <= 500, not in --smoke). P* = lowest import peak at which E* is still deliverable " +
                          "(bisection on max-flows). Caltech rows add up the 31 days; their peak is the month's highest.");
        Console.WriteLine("V2G: delivered is net of discharge; its E* forbids charging during the export event.");
    }
}
