namespace Cms.Optimizer.Bench.Reference;

/// <summary>
/// Successive shortest paths with Dijkstra on reduced costs (arc costs must be non-negative initially).
/// Runs to maximum flow, so the result is the cheapest among all maximum-energy schedules: C* for E*.
/// </summary>
public static class MinCostFlow
{
    public static (long Flow, long Cost) Run(FlowGraph g, int s, int t)
    {
        int n = g.Nodes;
        var pot = new long[n];
        var dist = new long[n];
        var prevArc = new int[n];
        long flow = 0, cost = 0;
        var pq = new PriorityQueue<int, long>();
        while (true)
        {
            Array.Fill(dist, long.MaxValue);
            dist[s] = 0;
            pq.Enqueue(s, 0);
            while (pq.TryDequeue(out int v, out long d))
            {
                if (d != dist[v]) continue;
                foreach (int a in g.Out[v])
                {
                    if (g.Cap[a] <= 0) continue;
                    int w = g.To[a];
                    long nd = d + g.Cost[a] + pot[v] - pot[w];
                    if (nd < dist[w]) { dist[w] = nd; prevArc[w] = a; pq.Enqueue(w, nd); }
                }
            }
            if (dist[t] == long.MaxValue) return (flow, cost);
            for (int v = 0; v < n; v++)
                if (dist[v] != long.MaxValue) pot[v] += dist[v];
            long push = long.MaxValue;
            for (int v = t; v != s; v = g.To[prevArc[v] ^ 1]) push = Math.Min(push, g.Cap[prevArc[v]]);
            for (int v = t; v != s; v = g.To[prevArc[v] ^ 1])
            {
                g.Cap[prevArc[v]] -= push; g.Cap[prevArc[v] ^ 1] += push;
                cost += push * g.Cost[prevArc[v]];
            }
            flow += push;
        }
    }
}
