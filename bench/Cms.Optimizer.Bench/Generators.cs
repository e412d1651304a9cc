namespace Cms.Optimizer.Bench;

/// <summary>Deterministic scenario generators (seeded PCG32). 96 × 15-min periods.</summary>
public static class Generators
{
    private const int T = 96;
    private const double H = 0.25;

    private static int Period(double hour) => Math.Clamp((int)Math.Round(hour / H), 0, T);

    /// <summary>
    /// Workplace day from 00:00: morning arrivals N(8.5 h, 1 h), 8–10 h dwell, 5–25 kWh (capped at what the
    /// connector can deliver), connectors 70 % 7.4 kW / 30 % 11 kW, two per 15 kW charge point. Grid = rho × Σ
    /// connector max with an office baseload 8–18 h, a solar bell 7–19 h, SCE TOU-EV-4-like prices and a DR event
    /// (−40 % 14–16 h).
    /// </summary>
    public static Scenario Workplace(int sessions, ulong seed, double rho = 0.15)
    {
        var rng = new Pcg32(seed, 1);
        int connectors = (int)Math.Ceiling(sessions / 0.72);
        connectors += connectors % 2;
        var conMax = Enumerable.Range(0, connectors).Select(_ => rng.Chance(0.7) ? 7.4 : 11.0).ToArray();
        var cps = Enumerable.Range(0, connectors / 2).Select(c => new ChargePointLimit($"cp{c:D5}", 15)).ToList();
        var freeAt = new int[connectors];
        var list = new List<BenchSession>();
        var draws = Enumerable.Range(0, sessions).Select(_ =>
        {
            double arrive = Math.Clamp(rng.Normal(8.5, 1.0), 5, 13);
            double stay = rng.Uniform(8, 10);
            double need = rng.Uniform(5, 25);
            return (arrive, stay, need);
        }).OrderBy(d => d.arrive).ToList();
        int k = 0;
        foreach (var (arrive, stay, need) in draws)
        {
            int a = Period(arrive), d = Math.Min(T, Period(arrive + stay));
            int con = Array.FindIndex(freeAt, f => f <= a);
            if (con < 0 || d <= a) continue;
            freeAt[con] = d;
            double max = conMax[con];
            list.Add(new BenchSession($"w{k++:D5}", cps[con / 2].Id, max, a, d, Math.Min(need, max * (d - a) * H)));
        }
        double grid = rho * conMax.Sum();
        return new Scenario($"workplace-{sessions}", T, H,
            Curve(t => HourOf(t) is >= 14 and < 16 ? grid * 0.6 : grid),
            0.02,
            Curve(t => HourOf(t) is >= 8 and < 18 ? 0.2 * grid : 0.05 * grid),
            Curve(t => 0.25 * grid * Math.Max(0, Math.Sin(Math.PI * (HourOf(t) - 7) / 12))),
            Curve(t => HourOf(t) switch { < 8 => 0.05623, < 12 => 0.0925, < 18 => 0.26668, _ => 0.0925 }),
            null, 1.4, 0.1, cps, list);
    }

    /// <summary>
    /// Bus/van depot, day from 12:00: arrivals 17–21 h, fixed departures 05:00/06:00/07:00, 75 kWh need,
    /// 22 kW connector per 22 kW charge point; grid = 0.4 × Σ connector max; TOU 0.40 (16–21 h) / 0.25 / 0.12
    /// (00–07 h); DR −50 % 18–20 h. V2G variant: vans may discharge 11 kW and the site must export
    /// 2 kW per van 18–19 h.
    /// </summary>
    public static Scenario Depot(int sessions, ulong seed, bool v2g = false)
    {
        var rng = new Pcg32(seed, 2);
        var cps = Enumerable.Range(0, sessions).Select(c => new ChargePointLimit($"cp{c:D5}", 22)).ToList();
        var list = new List<BenchSession>();
        for (int k = 0; k < sessions; k++)
        {
            double arrive = rng.Uniform(17, 21) - 12;
            double depart = 5 + k % 3 + 12; // fixed schedule, hours after 12:00
            list.Add(new BenchSession($"d{k:D5}", cps[k].Id, 22, Period(arrive), Period(depart), 75, v2g ? 11 : 0));
        }
        double grid = 0.4 * 22 * sessions;
        double Clock(int t) => (HourOf(t) + 12) % 24;
        return new Scenario(v2g ? $"depot-v2g-{sessions}" : $"depot-{sessions}", T, H,
            Curve(t => Clock(t) is >= 18 and < 20 ? grid * 0.5 : grid),
            0.02, null, null,
            Curve(t => Clock(t) switch { >= 16 and < 21 => 0.40, >= 0 and < 7 => 0.12, _ => 0.25 }),
            v2g ? Curve(t => Clock(t) is >= 18 and < 19 ? 2.0 * sessions : 0) : null,
            4.2, 0.1, cps, list);
    }

    private static double HourOf(int t) => t * H;

    private static double[] Curve(Func<int, double> f) => Enumerable.Range(0, T).Select(f).ToArray();
}
