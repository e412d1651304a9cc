using System.Globalization;

namespace Cms.Core.Resources;

/// <summary>The one timestamp format of the API and the store: UTC, microseconds, "+00:00". Sorts as text.</summary>
public static class Iso
{
    public static string Format(DateTimeOffset t) =>
        t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
