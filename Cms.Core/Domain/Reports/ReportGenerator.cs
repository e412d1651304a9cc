using System.Globalization;
using Cms.Core.Auth;
using Cms.Core.Resources;
using CsvHelper;
using Dapper;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Reports;

/// <summary>
/// Writes pending reports as CSV (CsvHelper, RFC 4180), one at a time. Rows are read a page at a time through the
/// model's own list call, each page on a read connection: the write lock is taken only to mark the report's status,
/// so chargers keep being served while a 100,000-row export runs.
/// </summary>
public sealed class ReportGenerator(CoreContext core, IEnumerable<ReportSource> sources)
{
    public const int PageSize = 10_000;
    private readonly Dictionary<string, ReportSource> _sources = sources.ToDictionary(s => s.Model);

    /// <summary>Generates the oldest pending report; false when none is waiting.</summary>
    public async Task<bool> RunNextAsync(CancellationToken cancel)
    {
        var report = await core.Db.ReadAsync(async conn => (IDictionary<string, object?>?)await conn.QueryFirstOrDefaultAsync(
            "SELECT * FROM reports WHERE status IN (@pending, @processing) ORDER BY created, id LIMIT 1",
            new { pending = ReportResource.Pending, processing = ReportResource.Processing }));
        if (report is null) return false;
        var id = report.Str("id")!;
        await SetAsync(id, "status = @status", new { status = ReportResource.Processing });
        try
        {
            var (rows, size) = await WriteAsync(report, cancel);
            await SetAsync(id, "status = @status, rows = @rows, size = @size, completed = @completed, error = NULL",
                new { status = ReportResource.Completed, rows, size, completed = Iso.Format(core.Clock.GetUtcNow()) });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever went wrong is the report's, not the worker's: it is marked failed with the reason and the next one runs.
            await SetAsync(id, "status = @status, error = @error", new { status = ReportResource.Failed, error = e.Message });
        }
        return true;
    }

    private async Task<(long Rows, long Size)> WriteAsync(IDictionary<string, object?> report, CancellationToken cancel)
    {
        var id = report.Str("id")!;
        var model = report.Str("model")!;
        if (!_sources.TryGetValue(model, out var source))
            throw new InvalidOperationException($"{model} reports are not available on this server");
        var caller = new Caller(report.Str("userId")!, report.Str("customerId")!, report.Str("userType")!);
        var filters = ReportFilters.Parse(report.Str("filters") is { } json ? ReportFilters.ReadStored(json) : null);
        var parsed = source.ParseQuery(filters.Query);

        var path = ReportService.FilePath(core.Db, id);
        var partial = path + ".part";
        long written = 0;
        await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        await using (var csv = CsvWriter.Create(file, CsvWriterOptions.Default with { Injection = CsvInjection.Escape }, leaveOpen: false))
        {
            string[]? columns = null;
            while (written < filters.Limit)
            {
                cancel.ThrowIfCancellationRequested();
                var limit = (int)Math.Min(PageSize, filters.Limit - written);
                var (items, _) = await source.ListAsync(caller, ReportService.Page(parsed, filters.Offset + (int)written, limit));
                if (columns is null)
                {
                    columns = items.Count > 0 ? items[0].Properties().Select(p => p.Name).ToArray() : SpecColumns(source.Spec);
                    csv.WriteHeader(columns);
                }
                foreach (var item in items)
                {
                    foreach (var column in columns) csv.WriteField(Cell(item[column]));
                    await csv.EndRecordAsync(cancel);
                }
                written += items.Count;
                if (items.Count < limit) break;
            }
            if (columns is null) csv.WriteHeader(SpecColumns(source.Spec));
        }
        File.Move(partial, path, overwrite: true);
        return (written, new FileInfo(path).Length);
    }

    /// <summary>The columns of an empty report: what the model's items show.</summary>
    private static string[] SpecColumns(ResourceSpec spec) =>
        ["id", "created", "updated", .. spec.Fields.Where(f => !f.WriteOnly).Select(f => f.Name), .. spec.Derived.Select(d => d.Name)];

    /// <summary>Scalars as their text (numbers invariant, booleans true/false), nested objects and lists as compact JSON, null as empty.</summary>
    private static string? Cell(JToken? token) => token switch
    {
        null or { Type: JTokenType.Null } => null,
        JValue { Type: JTokenType.Boolean } b => (bool)b ? "true" : "false",
        JValue v => Convert.ToString(v.Value, CultureInfo.InvariantCulture),
        _ => token.ToString(Formatting.None),
    };

    private Task SetAsync(string id, string set, object values)
    {
        var p = new DynamicParameters(values);
        p.Add("id", id);
        p.Add("updated", Iso.Format(core.Clock.GetUtcNow()));
        return core.Db.WriteAsync((conn, tx) => conn.ExecuteAsync($"UPDATE reports SET {set}, updated = @updated WHERE id = @id", p, tx));
    }
}
