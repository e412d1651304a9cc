using System.Text;

namespace Cms.Core.Resources;

/// <summary>JSON written straight into a builder, for the store's JSON columns written per charger message, where
/// Newtonsoft's writer (a writer, a text writer and their buffers per value) cost more than the values.</summary>
public static class JsonText
{
    /// <summary>A JSON string, or null. Escapes what JSON requires (quote, backslash, control characters) and nothing
    /// else: the text reads back the same. <paramref name="nulAsReplacement"/> writes a NUL character as U+FFFD instead
    /// (PostgreSQL's jsonb has no NUL). One pass of plain comparisons into a buffer per thread, appended once per 4,096
    /// characters: the message log's bodies are JSON text, a quote every few characters, and a vectorized search plus
    /// two appends per quote cost ~1.6× this loop (a MeterValues body: 580 against 350 ns).</summary>
    public static StringBuilder AppendString(StringBuilder json, string? value, bool nulAsReplacement = false)
    {
        if (value is null) return json.Append("null");
        var buffer = _escapeBuffer ??= new char[EscapeBufferChars];
        var n = 0;
        buffer[n++] = '"';
        foreach (var c in value)
        {
            // Room for the longest escape (\u00XX) and the closing quote.
            if (n > EscapeBufferChars - 7)
            {
                json.Append(buffer, 0, n);
                n = 0;
            }
            if (c >= ' ' && c != '"' && c != '\\')
            {
                buffer[n++] = c;
                continue;
            }
            if (c == '\0' && nulAsReplacement)
            {
                buffer[n++] = '\uFFFD';
                continue;
            }
            buffer[n++] = '\\';
            switch (c)
            {
                case '"': buffer[n++] = '"'; break;
                case '\\': buffer[n++] = '\\'; break;
                case '\n': buffer[n++] = 'n'; break;
                case '\r': buffer[n++] = 'r'; break;
                case '\t': buffer[n++] = 't'; break;
                default:
                    buffer[n++] = 'u';
                    buffer[n++] = '0';
                    buffer[n++] = '0';
                    buffer[n++] = Hex[c >> 4];
                    buffer[n++] = Hex[c & 15];
                    break;
            }
        }
        buffer[n++] = '"';
        return json.Append(buffer, 0, n);
    }

    private const int EscapeBufferChars = 4096;
    [ThreadStatic] private static char[]? _escapeBuffer;

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
