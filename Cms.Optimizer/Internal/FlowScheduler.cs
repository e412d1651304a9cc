namespace Cms.Optimizer.Internal;

/// <summary>
/// Exact energy-first, then cheapest-then-earliest schedule as a min-cost flow:
/// source → session (energy need) → (charge point, period) (session cap) → period (charge point cap) → sink (network cap).
/// With arc costs −(M + w_class) + c_period on the session arcs, every augmenting path costs −(M + w_first) + c_last
/// (the inner terms telescope), so successive shortest paths reduce to filling (class, period) pairs in
/// <see cref="PhaseOrder"/> and, per pair, running a max-flow from that class's sessions into that period's sink arc.
/// Earlier classes and periods keep their totals; later phases may only re-route them (moving a car between periods).
/// Units are integer watts, so the result is exact and never exceeds a cap.
/// </summary>
internal sealed class FlowScheduler
{
    private readonly Problem _p;
    private readonly long[] _avail;
    private readonly int _t;
    private readonly long[] _f;      // session × period flow
    private readonly long[] _g;      // charge point × period flow
    private readonly long[] _y;      // period flow
    private readonly long[] _r;      // residual need per session

    // BFS scratch: nodes are sessions [0, N), cp-periods [N, N + CP·T), periods [N + CP·T, ...).
    private readonly int[] _next;
    private readonly int[] _seen;
    private readonly int[] _queue;
    private int _stamp;

    public FlowScheduler(Problem p, long[] availW, long[] needWp)
    {
        _p = p;
        _avail = availW;
        _t = p.T;
        _f = new long[p.N * _t];
        _g = new long[p.CpCount * _t];
        _y = new long[_t];
        _r = (long[])needWp.Clone();
        int nodes = p.N + p.CpCount * _t + _t;
        _next = new int[nodes];
        _seen = new int[nodes];
        _queue = new int[nodes];
    }

    /// <summary>Flow per session × period (watts), row-major by session.</summary>
    public long[] Flow => _f;

    public long TotalFlow => _y.Sum();

    public void Solve(PhaseOrder order)
    {
        foreach (var cls in order.Classes)
        {
            foreach (int t in order.Periods)
            {
                if (_y[t] >= _avail[t]) continue;
                if (!AnyResidual(cls)) break;
                DirectFill(cls, t);
                if (_y[t] < _avail[t]) Augment(cls, t);
            }
        }
    }

    private bool AnyResidual(int[] cls)
    {
        foreach (int i in cls)
            if (_r[i] > 0 && _p.CapW[i] > 0 && _p.Dep[i] > 0) return true;
        return false;
    }

    /// <summary>Paths of length three (session → its charge point → period); cheap and by far the most common.</summary>
    private void DirectFill(int[] cls, int t)
    {
        foreach (int i in cls)
        {
            if (_r[i] <= 0 || t >= _p.Dep[i]) continue;
            int c = _p.Cp[i];
            long d = Math.Min(Math.Min(_r[i], _p.CapW[i] - _f[i * _t + t]),
                              Math.Min(_p.CpCapW[c] - _g[c * _t + t], _avail[t] - _y[t]));
            if (d <= 0) continue;
            _f[i * _t + t] += d;
            _g[c * _t + t] += d;
            _y[t] += d;
            _r[i] -= d;
            if (_y[t] >= _avail[t]) return;
        }
    }

    /// <summary>Max-flow from the class's sessions into period t, re-routing other flow; BFS backward from t.</summary>
    private void Augment(int[] cls, int t)
    {
        var terminals = new List<int>();
        while (_y[t] < _avail[t])
        {
            terminals.Clear();
            Search(cls, t, terminals);
            if (terminals.Count == 0) return;
            bool progressed = false;
            foreach (int i in terminals)
            {
                if (_y[t] >= _avail[t]) break;
                long b = Bottleneck(i, t);
                if (b <= 0) continue;
                Push(i, t, b);
                progressed = true;
            }
            if (!progressed) return;
        }
    }

    private int CpNode(int c, int t) => _p.N + c * _t + t;

    private int PeriodNode(int t) => _p.N + _p.CpCount * _t + t;

    private void Search(int[] cls, int target, List<int> terminals)
    {
        _stamp++;
        var inClass = ClassMark(cls);
        int head = 0, tail = 0;
        int start = PeriodNode(target);
        _seen[start] = _stamp;
        _next[start] = -1;
        _queue[tail++] = start;
        int periodBase = PeriodNode(0);
        int cpBase = _p.N;
        while (head < tail)
        {
            int v = _queue[head++];
            if (v >= periodBase)
            {
                // Predecessors of a period: charge points with spare cap in that period.
                int t = v - periodBase;
                for (int c = 0; c < _p.CpCount; c++)
                    if (_g[c * _t + t] < _p.CpCapW[c]) Visit(CpNode(c, t), v, ref tail);
            }
            else if (v >= cpBase)
            {
                int c = (v - cpBase) / _t, t = (v - cpBase) % _t;
                // Sessions of this charge point that could take more in t.
                foreach (int i in _p.CpSessions[c])
                    if (t < _p.Dep[i] && _f[i * _t + t] < _p.CapW[i]) Visit(i, v, ref tail);
                // Undo flow this charge point sends into t, so another charge point can send it.
                if (t != target && _g[c * _t + t] > 0) Visit(PeriodNode(t), v, ref tail);
            }
            else
            {
                int i = v;
                if (_r[i] > 0 && inClass[i] == _stamp) terminals.Add(i);
                // Move some of i's flow out of another period so that i can take period-side capacity here.
                int c = _p.Cp[i];
                for (int t = 0; t < _p.Dep[i]; t++)
                    if (_f[i * _t + t] > 0) Visit(CpNode(c, t), v, ref tail);
            }
        }
    }

    private int[]? _classMark;

    private int[] ClassMark(int[] cls)
    {
        _classMark ??= new int[_p.N];
        foreach (int i in cls) _classMark[i] = _stamp;
        return _classMark;
    }

    private void Visit(int node, int from, ref int tail)
    {
        if (_seen[node] == _stamp) return;
        _seen[node] = _stamp;
        _next[node] = from;
        _queue[tail++] = node;
    }

    private long Bottleneck(int session, int target)
    {
        long b = Math.Min(_r[session], _avail[target] - _y[target]);
        for (int v = session; _next[v] >= 0 && b > 0; v = _next[v])
            b = Math.Min(b, Residual(v, _next[v]));
        return b;
    }

    private void Push(int session, int target, long amount)
    {
        _r[session] -= amount;
        _y[target] += amount;
        for (int v = session; _next[v] >= 0; v = _next[v]) Apply(v, _next[v], amount);
    }

    private enum Kind { Unknown, SessionNode, CpNode, PeriodNode }

    private Kind KindOf(int v) => v < _p.N ? Kind.SessionNode : v < PeriodNode(0) ? Kind.CpNode : Kind.PeriodNode;

    private long Residual(int u, int v)
    {
        switch (KindOf(u), KindOf(v))
        {
            case (Kind.SessionNode, Kind.CpNode):
                { int t = (v - _p.N) % _t; return t < _p.Dep[u] ? _p.CapW[u] - _f[u * _t + t] : 0; }
            case (Kind.CpNode, Kind.SessionNode):
                return _f[v * _t + (u - _p.N) % _t];
            case (Kind.CpNode, Kind.PeriodNode):
                { int c = (u - _p.N) / _t, t = (u - _p.N) % _t; return _p.CpCapW[c] - _g[c * _t + t]; }
            case (Kind.PeriodNode, Kind.CpNode):
                return _g[v - _p.N];
            default:
                throw new InvalidOperationException("Not an arc.");
        }
    }

    private void Apply(int u, int v, long amount)
    {
        switch (KindOf(u), KindOf(v))
        {
            case (Kind.SessionNode, Kind.CpNode):
                _f[u * _t + (v - _p.N) % _t] += amount; break;
            case (Kind.CpNode, Kind.SessionNode):
                _f[v * _t + (u - _p.N) % _t] -= amount; break;
            case (Kind.CpNode, Kind.PeriodNode):
                _g[u - _p.N] += amount; break;
            case (Kind.PeriodNode, Kind.CpNode):
                _g[v - _p.N] -= amount; break;
            default:
                throw new InvalidOperationException("Not an arc.");
        }
    }
}
