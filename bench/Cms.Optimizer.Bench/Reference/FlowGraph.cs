namespace Cms.Optimizer.Bench.Reference;

/// <summary>
/// Plain adjacency-list flow network with paired residual arcs. Deliberately generic (no knowledge of sessions or
/// periods) so the reference optimum does not share a code path with the optimizer.
/// </summary>
public sealed class FlowGraph
{
    public readonly List<int> To = [];
    public readonly List<long> Cap = [];
    public readonly List<long> Cost = [];
    public readonly List<int>[] Out;

    public FlowGraph(int nodes)
    {
        Out = new List<int>[nodes];
        for (int v = 0; v < nodes; v++) Out[v] = [];
    }

    public int Nodes => Out.Length;

    /// <summary>Adds u→v and its residual twin; returns the forward arc id (flow on it = Cap[id ^ 1]).</summary>
    public int AddArc(int u, int v, long cap, long cost = 0)
    {
        int id = To.Count;
        To.Add(v); Cap.Add(cap); Cost.Add(cost); Out[u].Add(id);
        To.Add(u); Cap.Add(0); Cost.Add(-cost); Out[v].Add(id + 1);
        return id;
    }

    public long FlowOn(int arc) => Cap[arc ^ 1];
}
