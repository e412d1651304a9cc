using System.Collections.Concurrent;
using System.Text;

namespace Cms.Core.Storage.Postgres;

/// <summary>
/// Turns the store's SQL (written for SQLite, in the portable subset) into PostgreSQL's, mechanically, so no query or
/// migration is written twice. Two rules cover what the engines read differently in otherwise identical SQL:
/// <list type="bullet">
/// <item>Identifiers: SQLite matches names case-insensitively and returns them as written; PostgreSQL folds unquoted
/// names to lower case. Every unquoted camelCase name (<c>customerId</c>, <c>t.vehicleId</c>, <c>AS vehicleName</c>)
/// is quoted, so tables, columns and result names keep their case on both engines.</item>
/// <item>Types: SQLite's REAL is a double and INTEGER a 64-bit integer; PostgreSQL's REAL is a float and INTEGER 32 bits:
/// they become DOUBLE PRECISION and BIGINT. In migrations (DDL), TEXT columns get <c>COLLATE "C"</c>: SQLite compares
/// text byte by byte (BINARY), and the ISO timestamps and ids the store orders by must sort the same way whatever the
/// database's locale; INTEGER PRIMARY KEY columns (numbered by SQLite when left out) become identity columns, BLOB
/// BYTEA, BOOLEAN BIGINT (booleans are 0/1), and WITHOUT ROWID is dropped.</item>
/// </list>
/// String literals, quoted identifiers, comments and parameters (<c>@name</c>) pass unchanged; a name followed by "("
/// is a function and keeps its spelling. Translations are cached per SQL text (the store's SQL is a few hundred shapes).
/// </summary>
public static class PostgresSql
{
    private const int MaxCached = 20_000;
    private static readonly ConcurrentDictionary<string, string> Queries = new(StringComparer.Ordinal);

    /// <summary>A query or command: cached, since the same texts run on every request.</summary>
    public static string Query(string sql)
    {
        if (Queries.TryGetValue(sql, out var done)) return done;
        var translated = Translate(sql, ddl: false);
        if (Queries.Count < MaxCached) Queries.TryAdd(sql, translated);
        return translated;
    }

    /// <summary>A migration script (DDL): types, collation and identity keys as well as names.</summary>
    public static string Migration(string sql) => Translate(sql, ddl: true);

    private static string Translate(string sql, bool ddl)
    {
        var sb = new StringBuilder(sql.Length + 32);
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c is '\'' or '"')
            {
                var end = QuotedEnd(sql, i, c);
                sb.Append(sql, i, end - i);
                i = end;
            }
            else if (c == '-' && At(sql, i + 1) == '-')
            {
                var end = sql.IndexOf('\n', i);
                end = end < 0 ? sql.Length : end;
                sb.Append(sql, i, end - i);
                i = end;
            }
            else if (c == '/' && At(sql, i + 1) == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? sql.Length : end + 2;
                sb.Append(sql, i, end - i);
                i = end;
            }
            else if (c is '@' or '$' || (c == ':' && IsNameStart(At(sql, i + 1))))
            {
                // A parameter: its name stays as the caller bound it.
                var end = i + 1;
                while (end < sql.Length && IsNamePart(sql[end])) end++;
                sb.Append(sql, i, end - i);
                i = end;
            }
            else if (char.IsAsciiDigit(c))
            {
                var end = i + 1;
                while (end < sql.Length && (IsNamePart(sql[end]) || sql[end] == '.')) end++;
                sb.Append(sql, i, end - i);
                i = end;
            }
            else if (IsNameStart(c))
            {
                var end = i + 1;
                while (end < sql.Length && IsNamePart(sql[end])) end++;
                if (ddl && sql.AsSpan(i, end - i).Equals("WITHOUT", StringComparison.OrdinalIgnoreCase) && FollowedBy(sql, end, "ROWID"))
                    end = sql.IndexOf("ROWID", end, StringComparison.OrdinalIgnoreCase) + "ROWID".Length; // PostgreSQL tables have no rowid
                else
                    AppendName(sb, sql, i, end, ddl);
                i = end;
            }
            else
            {
                sb.Append(c);
                i++;
            }
        }
        return sb.ToString();
    }

    private static void AppendName(StringBuilder sb, string sql, int start, int end, bool ddl)
    {
        var name = sql.AsSpan(start, end - start);
        if (IsMixedCase(name) && NextNonSpace(sql, end) != '(')
        {
            sb.Append('"').Append(name).Append('"');
            return;
        }
        if (name.Equals("REAL", StringComparison.OrdinalIgnoreCase)) sb.Append("DOUBLE PRECISION");
        // SQLite numbers an INTEGER PRIMARY KEY column itself when a row leaves it out (with or without AUTOINCREMENT).
        else if (name.Equals("INTEGER", StringComparison.OrdinalIgnoreCase))
            sb.Append(ddl && FollowedBy(sql, end, "PRIMARY KEY") ? "BIGINT GENERATED BY DEFAULT AS IDENTITY" : "BIGINT");
        else if (ddl && name.Equals("AUTOINCREMENT", StringComparison.OrdinalIgnoreCase)) { /* the identity column above */ }
        else if (ddl && name.Equals("TEXT", StringComparison.OrdinalIgnoreCase)) sb.Append("TEXT COLLATE \"C\"");
        else if (ddl && name.Equals("BLOB", StringComparison.OrdinalIgnoreCase)) sb.Append("BYTEA");
        // Booleans are stored as 0/1 integers (SQLite has no other kind); a BOOLEAN column would refuse them.
        else if (ddl && name.Equals("BOOLEAN", StringComparison.OrdinalIgnoreCase)) sb.Append("BIGINT");

        else sb.Append(name);
    }

    private static bool FollowedBy(string sql, int from, string words)
    {
        var rest = sql.AsSpan(from).TrimStart();
        foreach (var word in words.Split(' '))
        {
            if (!rest.StartsWith(word, StringComparison.OrdinalIgnoreCase)) return false;
            rest = rest[word.Length..].TrimStart();
        }
        return true;
    }

    private static bool IsMixedCase(ReadOnlySpan<char> name)
    {
        bool upper = false, lower = false;
        foreach (var ch in name)
        {
            upper |= char.IsAsciiLetterUpper(ch);
            lower |= char.IsAsciiLetterLower(ch);
        }
        return upper && lower;
    }

    /// <summary>Index just past the closing quote ('' and "" escape a quote inside).</summary>
    private static int QuotedEnd(string sql, int start, char quote)
    {
        var i = start + 1;
        while (i < sql.Length)
        {
            if (sql[i] == quote)
            {
                if (At(sql, i + 1) == quote) { i += 2; continue; }
                return i + 1;
            }
            i++;
        }
        return sql.Length;
    }

    private static char NextNonSpace(string sql, int i)
    {
        while (i < sql.Length && char.IsWhiteSpace(sql[i])) i++;
        return At(sql, i);
    }

    private static char At(string sql, int i) => i < sql.Length ? sql[i] : '\0';
    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';
    private static bool IsNamePart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
