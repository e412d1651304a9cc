namespace Cms.Optimizer.Bench.Reference;

/// <summary>
/// Primal-dual min-cost max-flow: Dijkstra on reduced costs sets potentials, then a Dinic max-flow on the arcs of
/// reduced cost 0 pushes every shortest path of that cost at once. Arc costs must be non-negative initially.
/// Runs to maximum flow, so the result is the cheapest among all maximum-energy schedules: C* for E*.
/// </summary>
public static class MinCostFlow
{
    public static (long Flow, long Cost) Run(FlowGraph g, int s, int t)
    {
        int n = g.Nodes;
        var pot = new long[n];
        var dist = new long[n];
        var level = new int[n];
        var it = new int[n];
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
                    if (nd < dist[w]) { dist[w] = nd; pq.Enqueue(w, nd); }
                }
            }
            if (dist[t] == long.MaxValue) return (flow, cost);
            // Capping at dist[t] keeps every residual reduced cost non-negative.
            for (int v = 0; v < n; v++) pot[v] += Math.Min(dist[v], dist[t]);

            // Dinic on the admissible (zero reduced cost) residual arcs.
            while (true)
            {
                Array.Fill(level, -1);
                var q = new Queue<int>();
                level[s] = 0; q.Enqueue(s);
                while (q.Count > 0)
                {
                    int v = q.Dequeue();
                    foreach (int a in g.Out[v])
                    {
                        int w = g.To[a];
                        if (g.Cap[a] > 0 && level[w] < 0 && g.Cost[a] + pot[v] - pot[w] == 0) { level[w] = level[v] + 1; q.Enqueue(w); }
                    }
                }
                if (level[t] < 0) break;
                Array.Fill(it, 0);
                long f;
                while ((f = Dfs(g, s, t, long.MaxValue, level, it, pot)) > 0)
                {
                    flow += f;
                    cost += f * (pot[t] - pot[s]);
                }
            }
        }
    }

    private static long Dfs(FlowGraph g, int v, int t, long pushed, int[] level, int[] it, long[] pot)
    {
        if (v == t) return pushed;
        var outs = g.Out[v];
        for (; it[v] < outs.Count; it[v]++)
        {
            int a = outs[it[v]], w = g.To[a];
            if (g.Cap[a] <= 0 || level[w] != level[v] + 1 || g.Cost[a] + pot[v] - pot[w] != 0) continue;
            long d = Dfs(g, w, t, Math.Min(pushed, g.Cap[a]), level, it, pot);
            if (d <= 0) continue;
            g.Cap[a] -= d; g.Cap[a ^ 1] += d;
            return d;
        }
        return 0;
    }
}
