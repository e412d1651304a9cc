namespace Cms.Optimizer.Bench;

public static class Report
{
    public static void Print(List<(RunStats Stats, double EStar, double? CStar)> rows)
    {
        Console.WriteLine();
        Console.WriteLine("| scenario | policy | viol. | energy % demand | % of E* | on-time % | cost $ | cost / C* | peak kW | Jain | wall p50 ms | wall p95 ms | CPU p50 ms | CPU p95 ms | max active |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (s, eStar, cStar) in rows)
        {
            string costRatio = cStar is { } c && c > 0 ? $"{100 * s.Cost / c:F1} %" : "–";
            Console.WriteLine($"| {s.Scenario} | {s.Policy} | {s.Violations} | {100 * s.DeliveredKwh / s.DemandKwh:F2} | " +
                              $"{100 * s.DeliveredKwh / eStar:F2} | {s.OnTimePct:F1} | {s.Cost:F0} | {costRatio} | {s.PeakKw:F0} | " +
                              $"{s.Jain:F3} | {s.P50Ms:F2} | {s.P95Ms:F2} | {s.CpuP50Ms:F2} | {s.CpuP95Ms:F2} | {s.MaxActive} |");
        }
        Console.WriteLine();
        Console.WriteLine("E* = clairvoyant max energy (every arrival known, no min load/step; Dinic max-flow). C* = cheapest cost of E* (min-cost flow), sizes <= 500.");
        Console.WriteLine("V2G: delivered is net of discharge; its E* forbids charging during the export event.");
    }
}
