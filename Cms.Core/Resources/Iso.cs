using System.Globalization;

namespace Cms.Core.Resources;

/// <summary>The one timestamp format of the API and the store: UTC, microseconds, "+00:00". Sorts as text.</summary>
public static class Iso
{
    /// <summary>"yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'" of the UTC time, its digits written directly (the general
    /// formatter parsed that pattern on each call, several times per charger message).</summary>
    public static string Format(DateTimeOffset t) => string.Create(Length, t, static (text, t) => Write(text, t));

    /// <summary>The characters of <see cref="Format"/>.</summary>
    public const int Length = 32;

    /// <summary><see cref="Format"/>'s text into the first <see cref="Length"/> characters of <paramref name="text"/>, for a
    /// caller that copies it on (no string).</summary>
    public static void Write(Span<char> text, DateTimeOffset t)
    {
        var u = t.UtcDateTime;
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
    }

    private static void Digits(Span<char> text, int value)
    {
        for (var i = text.Length - 1; i >= 0; i--, value /= 10) text[i] = (char)('0' + value % 10);
    }

    /// <summary>Any ISO 8601 text; this class's own form is read digit by digit (the general parser cost ~2 µs per call, once
    /// per charger reading for the session's newest power), anything else by the general parser.</summary>
    public static DateTimeOffset Parse(string text) =>
        TryParseOwn(text, out var t)
            ? t
            : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>Reads exactly what <see cref="Format"/> writes, with a valid date and time of day; false for anything else.</summary>
    private static bool TryParseOwn(string text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length != Length || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':'
            || text[19] != '.' || !text.EndsWith("+00:00", StringComparison.Ordinal)) return false;
        if (!Number(text, 0, 4, out var year) || !Number(text, 5, 2, out var month) || !Number(text, 8, 2, out var day)
            || !Number(text, 11, 2, out var hour) || !Number(text, 14, 2, out var minute) || !Number(text, 17, 2, out var second)
            || !Number(text, 20, 6, out var micros)) return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59
            || second > 59) return false;
        value = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second).Ticks + micros * 10L, TimeSpan.Zero);
        return true;
    }

    /// <summary>The decimal number written by exactly <paramref name="length"/> ASCII digits at <paramref name="start"/>.</summary>
    public static bool Number(ReadOnlySpan<char> text, int start, int length, out int value)
    {
        value = 0;
        for (var i = start; i < start + length; i++)
        {
            if (!char.IsAsciiDigit(text[i])) return false;
            value = value * 10 + (text[i] - '0');
        }
        return true;
    }
}
