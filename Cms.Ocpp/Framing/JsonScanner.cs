namespace Cms.Ocpp.Framing;

/// <summary>
/// Reads standard JSON text piece by piece, for the hot path's readers of one frame shape (<see cref="V16.MeterValuesReader"/>),
/// which take only what is certainly valid and leave the rest to the general path. So it reads a strict subset of JSON:
/// whitespace is space, tab, CR or LF; a string has no escape and no control character (a string with a backslash is
/// refused, not decoded); an integer is -?(0|[1-9][0-9]*) within 64 bits. Each method skips the whitespace before what it
/// reads and returns false, taking nothing, when the text does not go on that way. Its strings are spans of the text: no
/// string is made for a name compared or a value looked up. A reader with the JSON's grammar of its own costs a fraction
/// of Newtonsoft's reader, which makes a token, a string per name and value and a position stack per frame.
/// </summary>
public ref struct JsonScanner(ReadOnlySpan<char> text)
{
    private readonly ReadOnlySpan<char> _text = text;
    private int _at;

    /// <summary>The character <paramref name="c"/> (a bracket, a brace, a comma or a colon) comes next.</summary>
    public bool Take(char c)
    {
        SkipWhitespace();
        if (_at >= _text.Length || _text[_at] != c) return false;
        _at++;
        return true;
    }

    /// <summary>A string without escapes comes next: its characters, between the quotes.</summary>
    public bool String(out ReadOnlySpan<char> value)
    {
        value = default;
        SkipWhitespace();
        if (_at >= _text.Length || _text[_at] != '"') return false;
        var rest = _text[(_at + 1)..];
        var end = rest.IndexOfAny('"', '\\');
        if (end < 0 || rest[end] != '"' || rest[..end].IndexOfAnyInRange('\0', '\u001f') >= 0) return false;
        value = rest[..end];
        _at += end + 2;
        return true;
    }

    /// <summary>An integer comes next (not followed by a fraction or an exponent: that number is no integer).</summary>
    public bool Integer(out long value)
    {
        value = 0;
        SkipWhitespace();
        var i = _at;
        var negative = i < _text.Length && _text[i] == '-';
        if (negative) i++;
        var digits = i;
        while (i < _text.Length && char.IsAsciiDigit(_text[i])) i++;
        if (i == digits || (_text[digits] == '0' && i - digits > 1)) return false;
        if (i < _text.Length && _text[i] is '.' or 'e' or 'E') return false;
        if (!long.TryParse(_text[_at..i], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out value))
            return false;
        _at = i;
        return true;
    }

    /// <summary>Nothing but whitespace is left.</summary>
    public bool End()
    {
        SkipWhitespace();
        return _at == _text.Length;
    }

    private void SkipWhitespace()
    {
        while (_at < _text.Length && _text[_at] is ' ' or '\t' or '\n' or '\r') _at++;
    }
}
