using System.Buffers;
using System.Text;

namespace Cms.Core.Resources;

/// <summary>JSON written straight into a builder, for the store's JSON columns written per charger message, where
/// Newtonsoft's writer (a writer, a text writer and their buffers per value) cost more than the values.</summary>
public static class JsonText
{
    /// <summary>A JSON string, or null. Escapes what JSON requires (quote, backslash, control characters) and nothing
    /// else: the text reads back the same, and a run of plain characters is found by a vectorized search and copied at
    /// once (the message log's bodies are JSON text, a quote every few characters). <paramref name="nulAsReplacement"/>
    /// writes a NUL character as U+FFFD instead (PostgreSQL's jsonb has no NUL), found by the same search.</summary>
    public static StringBuilder AppendString(StringBuilder json, string? value, bool nulAsReplacement = false)
    {
        if (value is null) return json.Append("null");
        json.Append('"');
        var rest = value.AsSpan();
        for (var i = rest.IndexOfAny(Escaped); i >= 0; i = rest.IndexOfAny(Escaped))
        {
            json.Append(rest[..i]);
            var c = rest[i];
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                case '\0' when nulAsReplacement: json.Append('\uFFFD'); break;
                default: json.Append("\\u00").Append(Hex[c >> 4]).Append(Hex[c & 15]); break;
            }
            rest = rest[(i + 1)..];
        }
        return json.Append(rest).Append('"');
    }

    /// <summary>What a JSON string cannot hold as is: the quote, the backslash and the control characters.</summary>
    private static readonly SearchValues<char> Escaped = SearchValues.Create("\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f");

    /// <summary>A finite number as Newtonsoft writes it: the shortest text that reads back as the same double, with ".0"
    /// when it would read as an integer (7000 as 7000.0), formatted into a buffer on the stack, not a string.</summary>
    public static StringBuilder AppendNumber(StringBuilder json, double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "JSON has no such number");
        Span<char> text = stackalloc char[32];
        value.TryFormat(text, out var length, default, System.Globalization.CultureInfo.InvariantCulture);
        json.Append(text[..length]);
        return text[..length].IndexOfAny('.', 'E', 'e') < 0 ? json.Append(".0") : json;
    }

    /// <summary>A timestamp as a JSON string, in the store's form (<see cref="Iso.Format"/>: nothing in it to escape).</summary>
    public static StringBuilder AppendTimestamp(StringBuilder json, DateTimeOffset value)
    {
        Span<char> text = stackalloc char[Iso.Length];
        Iso.Write(text, value);
        return json.Append('"').Append(text).Append('"');
    }

    private const string Hex = "0123456789abcdef";
}
