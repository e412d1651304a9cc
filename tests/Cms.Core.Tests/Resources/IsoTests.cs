using System.Globalization;
using Cms.Core.Resources;

namespace Cms.Core.Tests.Resources;

/// <summary>The store's timestamp text, written digit by digit, is exactly what the format pattern wrote.</summary>
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
}
