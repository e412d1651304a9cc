namespace Cms.Optimizer.Bench;

/// <summary>
/// PCG32 (O'Neill, pcg32_random_r), written out so any port (C#, JS) can regenerate byte-identical scenarios.
/// Never System.Random: its algorithm is not a stable contract across runtimes.
/// </summary>
public sealed class Pcg32
{
    private ulong _state;
    private readonly ulong _inc;

    public Pcg32(ulong seed, ulong stream = 54)
    {
        _inc = (stream << 1) | 1;
        _state = 0;
        NextUInt();
        _state += seed;
        NextUInt();
    }

    public uint NextUInt()
    {
        ulong old = _state;
        _state = old * 6364136223846793005UL + _inc;
        uint xorShifted = (uint)(((old >> 18) ^ old) >> 27);
        int rot = (int)(old >> 59);
        return (xorShifted >> rot) | (xorShifted << ((-rot) & 31));
    }

    /// <summary>Uniform in [0, 1) with 32 bits.</summary>
    public double NextDouble() => NextUInt() / 4294967296.0;

    public double Uniform(double lo, double hi) => lo + (hi - lo) * NextDouble();

    /// <summary>Standard normal by Box–Muller (one value per call, the second is discarded for simplicity).</summary>
    public double Normal(double mean = 0, double sd = 1)
    {
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();
        return mean + sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public bool Chance(double p) => NextDouble() < p;
}
