namespace Cms.Optimizer.Internal;

/// <summary>
/// Limits being built (watts, session × period) plus the spare room they leave at every level, so each
/// change is checked against session, charge point, network and energy need in one place.
/// </summary>
internal sealed class Ledger
{
    private readonly Problem _p;
    public readonly long[] X;
    public readonly long[] CpUsed;
    public readonly long[] NetUsed;
    public readonly long[] NeedLeft;
    public readonly long[] Avail;

    public Ledger(Problem p, long[] availW, long[] needWp)
    {
        _p = p;
        X = new long[p.N * p.T];
        CpUsed = new long[p.CpCount * p.T];
        NetUsed = new long[p.T];
        NeedLeft = (long[])needWp.Clone();
        Avail = availW;
    }

    public long Get(int i, int t) => X[i * _p.T + t];

    /// <summary>How far session i's limit in t could rise before some cap or its need binds.</summary>
    public long Room(int i, int t)
    {
        if (t >= _p.Dep[i]) return 0;
        int c = _p.Cp[i];
        long x = X[i * _p.T + t];
        return Math.Min(Math.Min(_p.CapW[i] - x, NeedLeft[i]),
                        Math.Min(_p.CpCapW[c] - CpUsed[c * _p.T + t], Avail[t] - NetUsed[t]));
    }

    public void Set(int i, int t, long value)
    {
        long d = value - X[i * _p.T + t];
        X[i * _p.T + t] = value;
        CpUsed[_p.Cp[i] * _p.T + t] += d;
        NetUsed[t] += d;
        NeedLeft[i] -= d;
    }

    /// <summary>Raises i's limit in t as far as allowed (grid and minimum load respected); returns the gain.</summary>
    public long Raise(int i, int t) => Raise(i, t, long.MaxValue);

    /// <summary>Raises i's limit in t as far as allowed but not above <paramref name="upTo"/>; returns the gain.</summary>
    public long Raise(int i, int t, long upTo)
    {
        long x = Get(i, t);
        long room = Room(i, t);
        if (room <= 0) return 0;
        long nx = _p.Allowed(Math.Min(x + room, upTo));
        if (nx <= x) return 0;
        Set(i, t, nx);
        return nx - x;
    }
}
