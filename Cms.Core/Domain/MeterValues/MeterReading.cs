using System.Globalization;
using System.Text;

namespace Cms.Core.Domain.MeterValues;

/// <summary>
/// How a meterValue element is stored (migration 071): one meter_readings row, its samples in one JSON column, so a
/// charger's 5–20 samples per element cost one row and one entry per index. meter_values_all lists them per sample.
/// </summary>
public static class MeterReading
{
    /// <summary>Samples per row: sample k's id is the reading's with its last two hex digits k. An element with more is
    /// stored as several readings (parts).</summary>
    public const int MaxSamples = 256;

    /// <summary>Parts one element may have (so at most 65,536 samples; REST and chargers send at most 50).</summary>
    public const int MaxParts = 256;

    /// <summary>
    /// The id of part <paramref name="part"/> of an element, from one new id per element: its last four hex digits
    /// replaced by the part and 00 (the first sample's id, see migration 071), so the parts, and with them every sample of
    /// the element, sort in the order sent (ids of one millisecond are not ordered otherwise).
    /// </summary>
    public static string NewId(string id, int part = 0)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(part, MaxParts);
        return string.Create(id.Length, (id, part), static (span, x) =>
        {
            x.id.AsSpan(0, span.Length - 4).CopyTo(span);
            span[^4] = Hex[x.part >> 4];
            span[^3] = Hex[x.part & 15];
            span[^2] = '0';
            span[^1] = '0';
        });
    }

    private const string Hex = "0123456789abcdef";

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
