namespace Cms.Optimizer.Bench.Reference;

/// <summary>Dinic's max-flow: the exact energy optimum E* of a laminar kW-cap instance.</summary>
public static class MaxFlow
{
    public static long Run(FlowGraph g, int s, int t)
    {
        long total = 0;
        var level = new int[g.Nodes];
        var it = new int[g.Nodes];
        var cap = g.Cap;
        while (true)
        {
            Array.Fill(level, -1);
            var q = new Queue<int>();
            level[s] = 0; q.Enqueue(s);
            while (q.Count > 0)
            {
                int v = q.Dequeue();
                foreach (int a in g.Out[v])
                    if (cap[a] > 0 && level[g.To[a]] < 0) { level[g.To[a]] = level[v] + 1; q.Enqueue(g.To[a]); }
            }
            if (level[t] < 0) return total;
            Array.Fill(it, 0);
            long f;
            while ((f = Dfs(g, s, t, long.MaxValue, level, it)) > 0) total += f;
        }
    }

    private static long Dfs(FlowGraph g, int v, int t, long pushed, int[] level, int[] it)
    {
        if (v == t) return pushed;
        var outs = g.Out[v];
        for (; it[v] < outs.Count; it[v]++)
        {
            int a = outs[it[v]], w = g.To[a];
            if (g.Cap[a] <= 0 || level[w] != level[v] + 1) continue;
            long d = Dfs(g, w, t, Math.Min(pushed, g.Cap[a]), level, it);
            if (d <= 0) continue;
            g.Cap[a] -= d; g.Cap[a ^ 1] += d;
            return d;
        }
        return 0;
    }
}
