using System.Globalization;

namespace Cms.Core.Resources;

/// <summary>The one timestamp format of the API and the store: UTC, microseconds, "+00:00". Sorts as text.</summary>
public static class Iso
{
    /// <summary>"yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'" of the UTC time, its digits written directly (the general
    /// formatter parsed that pattern on each call, several times per charger message).</summary>
    public static string Format(DateTimeOffset t) => string.Create(32, t.UtcDateTime, static (text, u) =>
    {
        Digits(text[..4], u.Year);
        text[4] = '-';
        Digits(text.Slice(5, 2), u.Month);
        text[7] = '-';
        Digits(text.Slice(8, 2), u.Day);
        text[10] = 'T';
        Digits(text.Slice(11, 2), u.Hour);
        text[13] = ':';
        Digits(text.Slice(14, 2), u.Minute);
        text[16] = ':';
        Digits(text.Slice(17, 2), u.Second);
        text[19] = '.';
        Digits(text.Slice(20, 6), (int)(u.Ticks % TimeSpan.TicksPerSecond / 10)); // microseconds, truncated as "ffffff"
        "+00:00".CopyTo(text[26..]);
    });

    private static void Digits(Span<char> text, int value)
    {
        for (var i = text.Length - 1; i >= 0; i--, value /= 10) text[i] = (char)('0' + value % 10);
    }

    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
