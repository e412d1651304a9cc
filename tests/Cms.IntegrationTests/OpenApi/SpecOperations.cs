using System.Text.RegularExpressions;

namespace Cms.IntegrationTests.OpenApi;

/// <summary>One operation: method and path, with path parameters written "{}" so names do not matter.</summary>
public sealed record Operation(string Method, string Path)
{
    public override string ToString() => $"{Method} {Path}";

    public static Operation Normalized(string method, string path)
    {
        var p = Regex.Replace(path.Trim(), @"\{[^}]*\}|<[^>]*>", "{}").TrimEnd('/');
        return new Operation(method.ToUpperInvariant(), p.Length == 0 ? "/" : p);
    }
}

/// <summary>
/// The operations of the Ampcontrol v2 spec (the text rendering in ../shared/spec). Each operation starts with a line
/// holding only its path; the text lost the method badges, so the method is read from the operation's summary verb
/// ("Create…", "List…", "Update…", "Delete…") and, where there is no summary (users), from whether it has a body.
/// </summary>
public static partial class SpecOperations
{
    public const string FileName = "ampcontrol-api-v2.txt";

    /// <summary>Where the spec writes a path that cannot be what it means; each entry says what it is read as.</summary>
    public static readonly IReadOnlyDictionary<Operation, Operation> Errata = new Dictionary<Operation, Operation>
    {
        // "Update a vehicle" is listed on /v2/vehicles/, but its own sample (and every other update) addresses /{id}.
        [new("PATCH", "/v2/vehicles")] = new("PATCH", "/v2/vehicles/{}"),
    };

    /// <summary>The spec found beside the repository: ../shared/spec (or the nearest ancestor's shared/spec), or $AMPCMS_SPEC.</summary>
    public static string Locate()
    {
        if (Environment.GetEnvironmentVariable("AMPCMS_SPEC") is { Length: > 0 } given)
            return File.Exists(given) ? given : throw new FileNotFoundException($"AMPCMS_SPEC points to {given}, which does not exist");
        var root = RepositoryRoot();
        for (var dir = root.Parent; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "spec", FileName);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException(
            $"The API spec was not found: expected ../shared/spec/{FileName} beside the repository ({root.FullName}) " +
            "or in an ancestor's shared/spec; set AMPCMS_SPEC to its path.");
    }

    /// <summary>The folder holding AmpCms.sln, found by walking up from the test assembly.</summary>
    public static DirectoryInfo RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AmpCms.sln"))) return dir;
        throw new DirectoryNotFoundException("AmpCms.sln not found above " + AppContext.BaseDirectory);
    }

    public static IReadOnlyList<Operation> Read(string specPath) => Parse(File.ReadAllLines(specPath));

    public static IReadOnlyList<Operation> Parse(IReadOnlyList<string> lines)
    {
        var starts = Enumerable.Range(0, lines.Count).Where(i => PathLine().IsMatch(lines[i])).ToList();
        var operations = new List<Operation>();
        for (var k = 0; k < starts.Count; k++)
        {
            var path = lines[starts[k]].Trim();
            var end = k + 1 < starts.Count ? starts[k + 1] : lines.Count;
            var block = lines.Skip(starts[k] + 1).Take(end - starts[k] - 1).ToList();
            var operation = Operation.Normalized(MethodOf(path, block), path);
            operations.Add(Errata.GetValueOrDefault(operation, operation));
        }
        return operations;
    }

    private static readonly string[] SectionHeadings = ["Request Body schema", "query Parameters", "path Parameters", "Responses", "Note:"];

    private static string MethodOf(string path, List<string> block)
    {
        var hasBody = block.Any(l => l.StartsWith("Request Body schema", StringComparison.Ordinal));
        var summary = block.FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "";
        // Sections without a summary start with the parameter or body headings ("Request Body schema" is not "request").
        var verb = SectionHeadings.Any(h => summary.StartsWith(h, StringComparison.Ordinal)) ? "" : summary.Split(' ', '.')[0].ToLowerInvariant();
        switch (verb)
        {
            case "create" or "creates" or "add" or "adds" or "request" or "send": return "POST";
            case "update" or "updates" or "modifies" or "patch": return "PATCH";
            case "delete" or "deletes": return "DELETE";
        }
        // Sections without summaries: a body means a write (PATCH on "me", POST elsewhere); switch is a POST without one.
        if (hasBody) return path.TrimEnd('/').EndsWith("/me", StringComparison.Ordinal) ? "PATCH" : "POST";
        return path.EndsWith("/switch", StringComparison.Ordinal) ? "POST" : "GET";
    }

    [GeneratedRegex(@"^/v2/\S*$")]
    private static partial Regex PathLine();
}
