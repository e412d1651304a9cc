using Cms.Core.Domain.MeterValues;
using Cms.Core.Domain.Planning;

namespace Cms.Core.Domain.Profiles;

/// <summary>One measurand's readings as the profiles use them: one value per connector and timestamp, in the profile's unit.</summary>
public static class MeterSeries
{
    /// <summary>A reading holds until the next one for at most this long; beyond it the series has a gap (the charger went quiet).</summary>
    public static readonly TimeSpan Hold = TimeSpan.FromMinutes(15);

    /// <summary>A stored sample. Properties, not a positional record: Dapper matches a constructor by the reader's column types,
    /// and SQLite reports no type for an expression column (Key) when the query returns no row.</summary>
    public sealed record Row
    {
        public string Key { get; init; } = "";
        public string Timestamp { get; init; } = "";
        public string Measurand { get; init; } = "";
        public string? Phase { get; init; }
        public string? Unit { get; init; }
        public string? Location { get; init; }
        public double Value { get; init; }
    }

    /// <summary>Temperature in K from Celsius (OCPP's default), K or Fahrenheit.</summary>
    public static double? ToKelvin(double value, string? unit) => unit switch
    {
        "K" => value,
        "Fahrenheit" => (value - 32) * 5 / 9 + 273.15,
        null or "Celsius" => value + 273.15,
        _ => null,
    };

    /// <summary>
    /// The whole-connector value per (key, timestamp): power sums the phases (<see cref="MeterMath.Total"/>); the other measurands
    /// (voltage, frequency, temperature, SoC) take the sample without a phase, else the mean over the phases.
    /// </summary>
    public static Dictionary<string, List<(DateTimeOffset At, double Value)>> Readings(IEnumerable<Row> rows, bool sumPhases,
        Func<double, string?, double?> convert)
    {
        var result = new Dictionary<string, List<(DateTimeOffset, double)>>();
        foreach (var group in rows.GroupBy(r => (r.Key, r.Timestamp)))
        {
            var samples = group.Select(r => new Sample(r.Value, r.Measurand, r.Phase, r.Unit, "", "", r.Location ?? Measurands.DefaultLocation)).ToList();
            var value = sumPhases ? MeterMath.Total(samples, samples[0].Measurand, convert) : Mean(samples, convert);
            if (value is not { } v) continue;
            if (!result.TryGetValue(group.Key.Key, out var list)) result[group.Key.Key] = list = [];
            list.Add((Resources.Iso.Parse(group.Key.Timestamp), v));
        }
        return result;
    }

    private static double? Mean(List<Sample> samples, Func<double, string?, double?> convert)
    {
        var outlet = samples.Where(s => s.Location == Measurands.DefaultLocation).ToList();
        var chosen = outlet.Count > 0 ? outlet : samples;
        if (chosen.FirstOrDefault(s => s.Phase is null) is { } total) return convert(total.Value, total.Unit);
        var values = chosen.Select(s => convert(s.Value, s.Unit)).OfType<double>().ToList();
        return values.Count > 0 ? values.Average() : null;
    }

    /// <summary>Per bucket, the sum over keys of each key's time-weighted average (a key without data in a bucket adds nothing); null when no key has data.</summary>
    public static List<(DateTimeOffset At, double? Value)> SumOfAverages(IEnumerable<List<(DateTimeOffset At, double Value)>> perKey,
        DateTimeOffset start, DateTimeOffset end, TimeSpan step)
    {
        var series = perKey.Select(r => StepSeries.FromSamples(r.Select(x => (x.At, x.Value, "")), Hold)).ToList();
        return InputProfileService.Resample(start, end, step, (a, b) =>
        {
            double? sum = null;
            foreach (var s in series)
                if (s.Average(a, b, null) is { } v) sum = (sum ?? 0) + v;
            return sum;
        });
    }

    /// <summary>
    /// Energy per bucket from register readings: between two readings the energy is spread evenly over time; a register that
    /// went down (meter replaced) counts nothing for that stretch. Null where no two readings span the bucket.
    /// </summary>
    public static List<(DateTimeOffset At, double? Value)> EnergyPerBucket(IEnumerable<List<(DateTimeOffset At, double Value)>> perKey,
        DateTimeOffset start, DateTimeOffset end, TimeSpan step)
    {
        var segments = perKey.SelectMany(r =>
        {
            var sorted = r.OrderBy(x => x.At).ToList();
            return sorted.Zip(sorted.Skip(1), (a, b) => (From: a.At, To: b.At, Kwh: Math.Max(0, b.Value - a.Value))).Where(s => s.To > s.From);
        }).ToList();
        return InputProfileService.Resample(start, end, step, (a, b) =>
        {
            double? sum = null;
            foreach (var s in segments)
            {
                var from = s.From > a ? s.From : a;
                var to = s.To < b ? s.To : b;
                if (to <= from) continue;
                sum = (sum ?? 0) + s.Kwh * ((to - from) / (s.To - s.From));
            }
            return sum;
        });
    }
}
