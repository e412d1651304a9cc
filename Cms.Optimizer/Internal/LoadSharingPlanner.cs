namespace Cms.Optimizer.Internal;

/// <summary>
/// load_sharing: each period on its own, in time order (energy needs shrink as they are planned).
/// Priority-0 sessions are filled first; the rest share by water-filling weighted 6 − priority.
/// When not everyone can get the minimum load, the sessions served least so far keep power (ties: the larger
/// remaining need, which carries fairness across reoptimizations, then Id); the others get 0 for that period, so
/// the starved ones rotate.
/// </summary>
internal sealed class LoadSharingPlanner
{
    private readonly Problem _p;
    private readonly Ledger _led;
    private readonly int[] _served;
    private readonly bool[] _dropped;

    // Scratch per period.
    private readonly int[] _active;
    private readonly int[] _members;
    private readonly int[] _cpOf;
    private readonly double[] _u;
    private readonly double[] _w;
    private readonly double[] _b;
    private readonly long[] _x;
    private readonly long[] _cpRoom;
    private readonly int[] _ranked;
    private readonly long[] _keys;
    private readonly long[] _result;
    private readonly int[] _scratch;
    private readonly int[] _cpStart;

    public LoadSharingPlanner(Problem p)
    {
        _p = p;
        _led = new Ledger(p, p.AvailW, p.NeedWp);
        _served = new int[p.N];
        _dropped = new bool[p.N];
        for (int i = 0; i < p.N; i++)
            if (p.Sessions[i].PreviousLimitsKw is { Length: > 0 } prev && prev[0] > 0) _served[i] = 1;
        _active = new int[p.N];
        _members = new int[p.N];
        _cpOf = new int[p.N];
        _u = new double[p.N];
        _w = new double[p.N];
        _b = new double[p.N];
        _x = new long[p.N];
        _cpRoom = new long[p.CpCount];
        _ranked = new int[p.N];
        _keys = new long[p.N];
        _result = new long[p.N];
        _scratch = new int[p.N];
        _cpStart = new int[p.CpCount + 1];
        for (int i = 0; i < p.N; i++) _maxCapW = Math.Max(_maxCapW, p.CapW[i]);
    }

    private readonly long _maxCapW;

    public Ledger Plan()
    {
        for (int t = 0; t < _p.T; t++) PlanPeriod(t);
        return _led;
    }

    /// <summary>Sessions that lost a period to the minimum-load rule (for the binding-constraint report).</summary>
    public bool[] Dropped => _dropped;

    /// <summary>
    /// Max-min fair in served fraction: with its need and departure known, a car's share is set so that, kept up until
    /// it leaves, it ends at the same fraction λ·(6 − priority)/5 of what it asked for (delivered + need) as every other
    /// car: x = (λ·w·R − D)/rem, with R what it asked for, D what it got so far (before and in earlier periods of this
    /// plan) and rem the periods left. A car leaving soon with a big need gets more now; one that was served well gets
    /// less. A car whose need or departure is unknown is treated as needing the largest cap (plain weighted split).
    /// </summary>
    private double? ServedFraction(int i)
    {
        var s = _p.Sessions[i];
        if (s.EnergyNeedKwh is null || s.DeparturePeriod is null) return null;
        double asked = _p.NeedWp[i] + Math.Max(0, s.DeliveredKwh ?? 0) / _p.Hours * 1000;
        return asked <= 0 ? 1 : (asked - _led.NeedLeft[i]) / asked;
    }

    private void Weigh(int i, int t, int k, bool optOut)
    {
        var s = _p.Sessions[i];
        double prio = optOut ? 1 : (6 - s.Priority) / 5.0;
        _b[k] = 0;
        if (optOut || s.EnergyNeedKwh is null || s.DeparturePeriod is null || _maxCapW <= 0)
        {
            _w[k] = prio * Math.Max(1, _maxCapW);
            return;
        }
        double rem = Math.Max(1, _p.Dep[i] - t);
        double asked = _p.NeedWp[i] + Math.Max(0, s.DeliveredKwh ?? 0) / _p.Hours * 1000;
        double got = asked - _led.NeedLeft[i];
        _w[k] = prio * Math.Max(1, asked) / rem;
        _b[k] = Math.Max(0, got) / rem;
    }

    private long Cap(int i, int t) => t < _p.Dep[i] ? _p.Allowed(Math.Min(_p.CapW[i], _led.NeedLeft[i])) : 0;

    private void PlanPeriod(int t)
    {
        int n = 0;
        for (int i = 0; i < _p.N; i++)
            if (Cap(i, t) > 0) _active[n++] = i;
        if (n == 0) return;
        int activeCount = n;

        // Keep-rank (opt-out first, then priority, then served least, then Id) matters only when someone must be
        // left at 0, so it is sorted lazily.
        var ranked = _ranked;
        Array.Copy(_active, ranked, n);
        bool sorted = false;
        if (NeedsTrim(ranked, n, t))
        {
            SortByKeep(ranked, n);
            sorted = true;
            n = Trim(ranked, n, t);
        }

        while (true)
        {
            FillTiers(ranked, n, t);
            int shortCount = 0;
            for (int k = 0; k < n; k++)
                if (_x[ranked[k]] < _p.MinPosW) shortCount++;
            if (shortCount == 0) break;
            if (!sorted) { SortByKeep(ranked, n); sorted = true; }
            // Drop about half of the short sessions, worst ranked first, then fill again.
            int drop = (shortCount + 1) / 2;
            for (int k = n - 1; k >= 0 && drop > 0; k--)
            {
                if (_x[ranked[k]] >= _p.MinPosW) continue;
                MarkDropped(ranked[k]);
                ranked[k] = -1;
                drop--;
            }
            int kept = 0;
            for (int k = 0; k < n; k++)
                if (ranked[k] >= 0) ranked[kept++] = ranked[k];
            n = kept;
        }

        for (int k = 0; k < n; k++)
        {
            int i = ranked[k];
            long v = _p.FloorStep(_x[i]);
            if (v > 0) _led.Set(i, t, v);
        }
        Refill(t, activeCount);
        for (int k = 0; k < activeCount; k++)
            if (_led.Get(_active[k], t) > 0) _served[_active[k]]++;
    }

    private void SortByKeep(int[] ranked, int n)
    {
        for (int k = 0; k < n; k++)
        {
            int i = ranked[k];
            // priority (3 bits) | served so far (10) | remaining need, larger first (30) | index (20). "Served" is the
            // fraction of what the car asked for when that is known (max-min fair), else the periods it was served.
            long needInv = (1L << 30) - 1 - Math.Min(_led.NeedLeft[i] / 64, (1L << 30) - 1);
            long served = ServedFraction(i) is { } f ? (long)Math.Clamp(f * 1023, 0, 1023) : Math.Min(_served[i], 1023);
            _keys[k] = ((long)_p.Sessions[i].Priority << 60) | (served << 50)
                       | (needInv << 20) | (long)Math.Min(i, (1 << 20) - 1);
        }
        Array.Sort(_keys, ranked, 0, n);
    }

    private bool NeedsTrim(int[] ranked, int n, int t)
    {
        if (n > _p.AvailW[t] / _p.MinPosW) return true;
        Array.Clear(_cpRoom);
        for (int k = 0; k < n; k++)
        {
            int c = _p.Cp[ranked[k]];
            if (++_cpRoom[c] * _p.MinPosW > _p.CpCapW[c]) return true;
        }
        return false;
    }

    /// <summary>Keep no more sessions than can each get the minimum: per charge point, then for the network.</summary>
    private int Trim(int[] ranked, int count, int t)
    {
        Array.Clear(_cpRoom);
        long netSlots = _p.AvailW[t] / _p.MinPosW;
        int kept = 0;
        for (int k = 0; k < count; k++)
        {
            int i = ranked[k];
            int c = _p.Cp[i];
            if (kept < netSlots && (_cpRoom[c] + 1) * _p.MinPosW <= _p.CpCapW[c])
            {
                _cpRoom[c]++;
                ranked[kept++] = i;
            }
            else MarkDropped(i);
        }
        return kept;
    }

    private void MarkDropped(int i) => _dropped[i] = true;

    /// <summary>Opt-out sessions (priority 0) take what they can first; the others share the rest by weight.</summary>
    private void FillTiers(int[] ranked, int n, int t)
    {
        for (int c = 0; c < _p.CpCount; c++) _cpRoom[c] = _p.CpCapW[c];
        long capacity = _p.AvailW[t];
        capacity -= FillGroup(ranked, n, t, capacity, optOut: true);
        FillGroup(ranked, n, t, capacity, optOut: false);
    }

    private long FillGroup(int[] ranked, int n, int t, long capacity, bool optOut)
    {
        // Members of this tier grouped by charge point (counting sort: O(n + charge points)).
        int m = 0;
        for (int k = 0; k < n; k++)
            if ((_p.Sessions[ranked[k]].Priority == 0) == optOut) _scratch[m++] = ranked[k];
        if (m == 0) return 0;
        Array.Clear(_cpStart);
        for (int k = 0; k < m; k++) _cpStart[_p.Cp[_scratch[k]] + 1]++;
        for (int c = 0; c < _p.CpCount; c++) _cpStart[c + 1] += _cpStart[c];
        for (int k = 0; k < m; k++) _members[_cpStart[_p.Cp[_scratch[k]]]++] = _scratch[k];
        for (int k = 0; k < m; k++)
        {
            int i = _members[k];
            _cpOf[k] = _p.Cp[i];
            _u[k] = Cap(i, t);
            Weigh(i, t, k, optOut);
        }
        var result = _result;
        WaterFill.Solve(m, _cpOf, _u, _w, _cpRoom, capacity, result, _b);
        long used = 0;
        for (int k = 0; k < m; k++)
        {
            _x[_members[k]] = result[k];
            _cpRoom[_cpOf[k]] -= result[k];
            used += result[k];
        }
        return used;
    }

    /// <summary>Hand out what flooring left over, one step per session per pass (Id order); may re-admit a dropped session.</summary>
    private void Refill(int t, int activeCount)
    {
        bool progress = true;
        while (progress && _led.NetUsed[t] < _p.AvailW[t])
        {
            progress = false;
            for (int k = 0; k < activeCount; k++)
            {
                int i = _active[k];
                long x = _led.Get(i, t);
                long room = _led.Room(i, t);
                if (x == 0)
                {
                    if (Cap(i, t) > 0 && room >= _p.MinPosW) { _led.Set(i, t, _p.MinPosW); progress = true; }
                    continue;
                }
                if (room >= _p.StepW) { _led.Set(i, t, x + _p.StepW); progress = true; }
            }
        }
    }
}
