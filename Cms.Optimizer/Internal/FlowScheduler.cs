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
    private long[] _r;               // residual need per session

    // BFS scratch: nodes are sessions [0, N), cp-periods [N, N + CP·T), periods [N + CP·T, ...).
    private readonly int[] _level;
    private readonly int[] _cursor;
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
        _level = new int[nodes];
        _cursor = new int[nodes];
        _seen = new int[nodes];
        _queue = new int[nodes];
    }

    /// <summary>
    /// Starts over with new needs, keeping the buffers (a 5,000-session day allocates megabytes per scheduler, and the
    /// fair level's bisection builds one per step). Same result as a new scheduler: BFS marks are stamped, not cleared.
    /// </summary>
    public void Reset(long[] needWp)
    {
        Array.Clear(_f);
        Array.Clear(_g);
        Array.Clear(_y);
        _r = (long[])needWp.Clone();
        _frozen = -1;
    }

    /// <summary>
    /// Becomes a copy of <paramref name="other"/> (same problem and caps): a bisection tries a higher level on a copy of
    /// the last feasible flow, adding only the difference, instead of solving from nothing.
    /// </summary>
    public void CopyFrom(FlowScheduler other)
    {
        Array.Copy(other._f, _f, _f.Length);
        Array.Copy(other._g, _g, _g.Length);
        Array.Copy(other._y, _y, _y.Length);
        _r = (long[])other._r.Clone();
        _frozen = other._frozen;
    }

    /// <summary>Flow per session × period (watts), row-major by session.</summary>
    public long[] Flow => _f;

    public long TotalFlow => _y.Sum();

    /// <summary>Flow per period (watts): with prices, these totals alone fix energy and cost.</summary>
    public long[] PeriodFlow => _y;

    /// <summary>A period whose allocation is fixed: augmenting paths never re-route flow through it.</summary>
    private int _frozen = -1;

    /// <summary>
    /// Fills period t first, each class in turn and within it least laxity first (laxity = what the car could still
    /// take before it leaves minus its need), then freezes that allocation for the rest of the solve (unless
    /// <paramref name="freeze"/> is false: then later augmenting paths may still re-route it, so the solve stays exact).
    /// </summary>
    public void FillFirstByLaxity(PhaseOrder order, int t, bool freeze = true)
    {
        foreach (var cls in order.Classes)
        {
            if (_y[t] >= _avail[t]) break;
            var keys = new long[cls.Length];
            var items = new int[cls.Length];
            int count = 0;
            for (int pos = 0; pos < cls.Length; pos++)
            {
                int i = cls[pos];
                if (_r[i] <= 0 || t >= _p.Dep[i] || _p.CapW[i] <= 0) continue;
                long laxity = Math.Clamp(_p.CapW[i] * (long)(_p.Dep[i] - t) - _r[i], -(1L << 40), 1L << 40);
                keys[count] = ((laxity + (1L << 40)) << 20) | (long)pos;
                items[count++] = i;
            }
            Array.Sort(keys, items, 0, count);
            DirectFill(items, count, t);
            if (_y[t] < _avail[t]) Augment(cls, t);
        }
        if (freeze) _frozen = t;
    }

    /// <summary>
    /// Raises each session's residual need by extra[i]. A later <see cref="Solve"/> only re-routes flow already placed
    /// (augmenting paths never undo a source arc), so every session keeps at least what it had: floors stay.
    /// </summary>
    public void AddNeed(long[] extra)
    {
        for (int i = 0; i < _r.Length; i++) _r[i] += extra[i];
    }

    public void Solve(PhaseOrder order)
    {
        var processed = new bool[_t];
        var unprocessedBefore = new int[_t + 1];
        foreach (var cls in order.Classes)
        {
            Array.Clear(processed);
            var keys = new long[cls.Length];
            var items = new int[cls.Length];
            foreach (int t in order.Periods)
            {
                if (!AnyResidual(cls)) break;
                if (_y[t] < _avail[t])
                {
                    int count = SortBySlack(cls, t, processed, unprocessedBefore, keys, items);
                    DirectFill(items, count, t);
                    if (_y[t] < _avail[t]) Augment(cls, t);
                }
                processed[t] = true;
            }
        }
    }

    /// <summary>
    /// Direct-fill order. Slack = an upper bound on what the session can still get in periods not yet processed
    /// (its cap × those periods, at most their spare network capacity) minus its residual need. Sessions that can
    /// still finish go first, tightest first: that spreads residual need over many cars, so later (dearer) periods
    /// fill directly and the costly re-routing search is rarely needed. Sessions that cannot finish anyway go last,
    /// smallest need first, so as many cars as possible leave on time. Only an ordering heuristic: exactness (energy,
    /// then cost) comes from the augmenting search.
    /// </summary>
    private int SortBySlack(int[] cls, int t, bool[] processed, int[] unprocessedBefore, long[] keys, int[] items)
    {
        _spareBefore ??= new long[_t + 1];
        unprocessedBefore[0] = 0;
        _spareBefore[0] = 0;
        for (int k = 0; k < _t; k++)
        {
            bool open = !processed[k] && k != t;
            unprocessedBefore[k + 1] = unprocessedBefore[k] + (open ? 1 : 0);
            _spareBefore[k + 1] = _spareBefore[k] + (open ? _avail[k] - _y[k] : 0);
        }
        const long Bound = 1L << 40;
        int count = 0;
        for (int pos = 0; pos < cls.Length; pos++)
        {
            int i = cls[pos];
            int dep = _p.Dep[i];
            if (_r[i] <= 0 || t >= dep || _f[i * _t + t] >= _p.CapW[i]) continue; // can't take anything in t
            double reach = Math.Min((double)_p.CapW[i] * unprocessedBefore[dep], _spareBefore[dep]) + Math.Min(_p.CapW[i], _avail[t] - _y[t]);
            double slack = reach - _r[i];
            bool hopeless = slack < 0;
            long secondary = (long)Math.Clamp(hopeless ? _r[i] : slack, 0, Bound - 1);
            keys[count] = ((hopeless ? 1L : 0L) << 61) | (secondary << 20) | (long)pos;
            items[count++] = i;
        }
        Array.Sort(keys, items, 0, count);
        return count;
    }

    private long[]? _spareBefore;

    private bool AnyResidual(int[] cls)
    {
        foreach (int i in cls)
            if (_r[i] > 0 && _p.CapW[i] > 0 && _p.Dep[i] > 0) return true;
        return false;
    }

    /// <summary>Paths of length three (session → its charge point → period); cheap and by far the most common.</summary>
    private void DirectFill(int[] ordered, int count, int t)
    {
        for (int k = 0; k < count; k++)
        {
            int i = ordered[k];
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

    /// <summary>
    /// Max-flow from the class's sessions into period t, re-routing other flow. Dinic: a BFS backward from t gives
    /// levels; a DFS from each reachable session with spare need pushes along level-decreasing residual arcs.
    /// </summary>
    private void Augment(int[] cls, int t)
    {
        var terminals = new List<int>();
        while (_y[t] < _avail[t])
        {
            terminals.Clear();
            Levels(cls, t, terminals);
            if (terminals.Count == 0) return;
            bool progressed = false;
            foreach (int i in terminals)
            {
                while (_r[i] > 0 && _y[t] < _avail[t])
                {
                    long pushed = Dfs(i, t, Math.Min(_r[i], _avail[t] - _y[t]));
                    if (pushed <= 0) break;
                    _r[i] -= pushed;
                    _y[t] += pushed;
                    progressed = true;
                }
                if (_y[t] >= _avail[t]) return;
            }
            if (!progressed) return;
        }
    }

    private int CpNode(int c, int t) => _p.N + c * _t + t;

    private int PeriodNode(int t) => _p.N + _p.CpCount * _t + t;

    /// <summary>BFS over residual arcs walked backwards from the target period; level = distance to it.</summary>
    private void Levels(int[] cls, int target, List<int> terminals)
    {
        _stamp++;
        var inClass = ClassMark(cls);
        int head = 0, tail = 0;
        int start = PeriodNode(target);
        Visit(start, 0, ref tail);
        int periodBase = PeriodNode(0);
        int cpBase = _p.N;
        int stopLevel = int.MaxValue;
        while (head < tail)
        {
            int v = _queue[head++];
            int lv = _level[v];
            if (lv > stopLevel) break; // all shortest augmenting paths are known
            if (lv == stopLevel)
            {
                // Same level as the first terminal: collect further terminals, expand nothing.
                if (v < _p.N && _r[v] > 0 && inClass[v] == _classStamp) terminals.Add(v);
                continue;
            }
            if (v >= periodBase)
            {
                // Predecessors of a period: charge points with spare cap in that period.
                int t = v - periodBase;
                for (int c = 0; c < _p.CpCount; c++)
                    if (_g[c * _t + t] < _p.CpCapW[c]) Visit(CpNode(c, t), lv + 1, ref tail);
            }
            else if (v >= cpBase)
            {
                int c = (v - cpBase) / _t, t = (v - cpBase) % _t;
                // Sessions of this charge point that could take more in t.
                foreach (int i in _p.CpSessions[c])
                    if (t < _p.Dep[i] && _f[i * _t + t] < _p.CapW[i]) Visit(i, lv + 1, ref tail);
                // Undo flow this charge point sends into t, so another charge point can send it.
                if (t != target && _g[c * _t + t] > 0) Visit(PeriodNode(t), lv + 1, ref tail);
            }
            else
            {
                int i = v;
                if (_r[i] > 0 && inClass[i] == _classStamp)
                {
                    terminals.Add(i);
                    stopLevel = lv;
                }
                // Move some of i's flow out of another period so that i can take period-side capacity here.
                int c = _p.Cp[i];
                for (int t = 0; t < _p.Dep[i]; t++)
                    if (_f[i * _t + t] > 0) Visit(CpNode(c, t), lv + 1, ref tail);
            }
        }
        // Nodes queued but not expanded must not be used by the DFS beyond the stop level; levels stay valid.
    }

    private int[]? _classMark;
    private int[]? _markedClass;
    private int _classStamp;

    /// <summary>Marks the class's sessions; once per class, not once per BFS (that was O(N) per augmenting search).</summary>
    private int[] ClassMark(int[] cls)
    {
        _classMark ??= new int[_p.N];
        if (ReferenceEquals(cls, _markedClass)) return _classMark;
        _classStamp++;
        foreach (int i in cls) _classMark[i] = _classStamp;
        _markedClass = cls;
        return _classMark;
    }

    private void Visit(int node, int level, ref int tail)
    {
        if (_frozen >= 0 && node >= _p.N && node < PeriodNode(0) && (node - _p.N) % _t == _frozen) return;
        if (_seen[node] == _stamp) return;
        _seen[node] = _stamp;
        _level[node] = level;
        _cursor[node] = 0;
        _queue[tail++] = node;
    }

    private bool OnLevel(int node, int level) => _seen[node] == _stamp && _level[node] == level;

    /// <summary>Pushes up to <paramref name="limit"/> from node u toward the target along the level graph.</summary>
    private long Dfs(int u, int target, long limit)
    {
        int periodBase = PeriodNode(0);
        if (u == PeriodNode(target)) return limit;
        int next = _level[u] - 1;
        if (u < _p.N)
        {
            int c = _p.Cp[u];
            for (; _cursor[u] < _p.Dep[u]; _cursor[u]++)
            {
                int t = _cursor[u];
                long room = _p.CapW[u] - _f[u * _t + t];
                int w = CpNode(c, t);
                if (room <= 0 || !OnLevel(w, next)) continue;
                long d = Dfs(w, target, Math.Min(limit, room));
                if (d <= 0) continue;
                _f[u * _t + t] += d;
                return d;
            }
        }
        else if (u < periodBase)
        {
            int c = (u - _p.N) / _t, t = (u - _p.N) % _t;
            var members = _p.CpSessions[c];
            for (; _cursor[u] <= members.Length; _cursor[u]++)
            {
                long d;
                if (_cursor[u] == 0)
                {
                    long room = _p.CpCapW[c] - _g[c * _t + t];
                    int w = PeriodNode(t);
                    if (room <= 0 || !OnLevel(w, next)) continue;
                    d = Dfs(w, target, Math.Min(limit, room));
                    if (d <= 0) continue;
                    _g[c * _t + t] += d;
                    return d;
                }
                int j = members[_cursor[u] - 1];
                long back = _f[j * _t + t];
                if (back <= 0 || !OnLevel(j, next)) continue;
                d = Dfs(j, target, Math.Min(limit, back));
                if (d <= 0) continue;
                _f[j * _t + t] -= d;
                return d;
            }
        }
        else
        {
            int t = u - periodBase;
            for (; _cursor[u] < _p.CpCount; _cursor[u]++)
            {
                int c = _cursor[u];
                long back = _g[c * _t + t];
                int w = CpNode(c, t);
                if (back <= 0 || !OnLevel(w, next)) continue;
                long d = Dfs(w, target, Math.Min(limit, back));
                if (d <= 0) continue;
                _g[c * _t + t] -= d;
                return d;
            }
        }
        return 0;
    }
}
