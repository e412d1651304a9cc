using System.Globalization;
using System.Text;
using Cms.Core.Resources;

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

    /// <summary>
    /// Samples [from, from + count) as the "samples" column: a JSON array of [measurand, phase, unit, context, format,
    /// location, value] (positions, not names: a third of the bytes; the view reads them as value ->> 0 … 6). Written
    /// straight to text in a builder kept per thread (this runs for every charger message); the value is text that reads
    /// back as the same double (7000 as 7000.0), as Newtonsoft writes it, NaN and the infinities as strings.
    /// </summary>
    public static string SamplesJson(IReadOnlyList<Sample> samples, int from, int count)
    {
        var json = _builder ??= new StringBuilder(1024);
        json.Clear().Append('[');
        for (var k = from; k < from + count; k++)
        {
            var s = samples[k];
            if (k > from) json.Append(',');
            json.Append('[');
            JsonText.AppendString(json, s.Measurand).Append(',');
            JsonText.AppendString(json, s.Phase).Append(',');
            JsonText.AppendString(json, s.Unit).Append(',');
            JsonText.AppendString(json, s.Context).Append(',');
            JsonText.AppendString(json, s.Format).Append(',');
            JsonText.AppendString(json, s.Location).Append(',');
            if (double.IsFinite(s.Value)) JsonText.AppendNumber(json, s.Value);
            else JsonText.AppendString(json, s.Value.ToString("R", CultureInfo.InvariantCulture));
            json.Append(']');
        }
        var text = json.Append(']').ToString();
        if (json.Capacity > 16 * 1024) _builder = null; // a rare huge element does not stay with the thread
        return text;
    }

    [ThreadStatic] private static StringBuilder? _builder;
}
