using System.Globalization;
using Cms.Core.Resources;

namespace Cms.Core.Tests.Resources;

/// <summary>The store's timestamp text, written and read digit by digit, is exactly what the format pattern wrote and
/// what the general parser reads.</summary>
public sealed class IsoTests
{
    private static string Pattern(DateTimeOffset t) =>
        t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);

    [Fact]
    public void Format_writes_what_the_pattern_writes_for_any_instant_and_offset()
    {
        var random = new Random(7);
        var times = new List<DateTimeOffset>
        {
            DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new(1, 1, 1, 0, 0, 0, TimeSpan.FromHours(-5)),
            new(999, 12, 31, 23, 59, 59, TimeSpan.Zero), new(2024, 2, 29, 23, 59, 59, 999, TimeSpan.FromHours(14)),
            new DateTimeOffset(2026, 11, 30, 8, 5, 0, TimeSpan.Zero).AddTicks(9_999_999), DateTimeOffset.UtcNow, DateTimeOffset.Now,
        };
        for (var i = 0; i < 10_000; i++)
        {
            var ticks = random.NextInt64(DateTimeOffset.MinValue.Ticks + TimeSpan.TicksPerDay, DateTimeOffset.MaxValue.Ticks - TimeSpan.TicksPerDay);
            times.Add(new DateTimeOffset(ticks, TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1))));
        }
        foreach (var t in times) Assert.Equal(Pattern(t), Iso.Format(t));
    }

    private static DateTimeOffset General(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    [Fact]
    public void Parse_reads_its_own_form_as_the_general_parser_does_and_leaves_any_other_text_to_it()
    {
        var random = new Random(11);
        var texts = new List<string> { "0001-01-01T00:00:00.000000+00:00", "9999-12-31T23:59:59.999999+00:00", "2024-02-29T12:00:00.000001+00:00" };
        for (var i = 0; i < 10_000; i++)
            texts.Add(Iso.Format(new DateTimeOffset(random.NextInt64(DateTimeOffset.MinValue.Ticks, DateTimeOffset.MaxValue.Ticks), TimeSpan.Zero)));
        foreach (var text in texts.ToList())
        {
            // One character changed, or a neighbouring form: the result (or the refusal) is the general parser's.
            var at = random.Next(text.Length);
            texts.Add(text[..at] + "0123456789:-.T+Z x"[random.Next(18)] + text[(at + 1)..]);
        }
        texts.AddRange(["2023-02-29T00:00:00.000000+00:00", "2024-13-01T00:00:00.000000+00:00", "2024-01-01T24:00:00.000000+00:00",
            "2024-01-01T00:60:00.000000+00:00", "2024-01-01T00:00:60.000000+00:00", "2024-01-01T00:00:00.000000+01:00",
            "2024-01-01T00:00:00.000000Z", "2024-01-01T00:00:00.0000000+00:00", "2024-01-01T00:00:00.000000-00:00", "0000-01-01T00:00:00.000000+00:00"]);
        foreach (var text in texts)
        {
            DateTimeOffset? expected;
            try { expected = General(text); } catch (FormatException) { expected = null; }
            if (expected is { } e)
            {
                var read = Iso.Parse(text);
                Assert.True(e == read && read.Offset == e.Offset, text);
            }
            else Assert.Throws<FormatException>(() => Iso.Parse(text));
        }
    }
}
