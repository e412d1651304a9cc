using System.Globalization;
using System.Text;

namespace Cms.Core.Domain.MeterValues;

/// <summary>
/// How a meterValue element is stored (migration 071): one meter_readings row, its samples in one JSON column, so a
/// charger's 5–20 samples per element cost one row and one entry per index. meter_values_all lists them per sample.
/// </summary>
public static class MeterReading
{
    /// <summary>Samples per row: sample k's id is the reading's with its last two hex digits k (an element with more is
    /// stored as several readings).</summary>
    public const int MaxSamples = 256;

    /// <summary>A reading's id: a new id whose last two hex digits are 00, the first sample's id (see migration 071).</summary>
    public static string NewId(string id) => string.Concat(id.AsSpan(0, id.Length - 2), "00");

    [ThreadStatic] private static StringBuilder? _json;

    /// <summary>
    /// Samples [from, from + count) as the "samples" column: a JSON array of [measurand, phase, unit, context, format,
    /// location, value] (positions, not names: a third of the bytes; the view reads them as value ->> 0 … 6). Written
    /// directly, no JSON object built; the value is the shortest text that reads back as the same double.
    /// </summary>
    public static string SamplesJson(IReadOnlyList<Sample> samples, int from, int count)
    {
        var sb = _json ??= new StringBuilder(256);
        sb.Clear().Append('[');
        for (var k = from; k < from + count; k++)
        {
            var s = samples[k];
            if (k > from) sb.Append(',');
            sb.Append('[');
            String(sb, s.Measurand).Append(',');
            String(sb, s.Phase).Append(',');
            String(sb, s.Unit).Append(',');
            String(sb, s.Context).Append(',');
            String(sb, s.Format).Append(',');
            String(sb, s.Location).Append(',');
            sb.Append(s.Value.ToString("R", CultureInfo.InvariantCulture)).Append(']');
        }
        return sb.Append(']').ToString();
    }

    private static StringBuilder String(StringBuilder sb, string? value)
    {
        if (value is null) return sb.Append("null");
        sb.Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\') sb.Append('\\').Append(c);
            else if (c < ' ') sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
        return sb.Append('"');
    }
}
