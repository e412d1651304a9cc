using Cms.Core.Auth;
using Cms.Core.Resources;
using Cms.Core.Storage;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Reports;

/// <summary>
/// Creates reports (filters checked at once, by a one-row run of the model's own list), lists them, and finds a
/// finished report's CSV. The CSV is written later by <see cref="ReportGenerator"/>.
/// </summary>
public sealed class ReportService(CoreContext core, IEnumerable<ReportSource> sources, ReportQueue queue)
    : ResourceService(core, ReportResource.Spec)
{
    private readonly Dictionary<string, ReportSource> _sources = sources.ToDictionary(s => s.Model);

    public override async Task<JObject> CreateAsync(Caller caller, JToken? body)
    {
        var values = BodyValidator.Validate(body, Spec, isCreate: true);
        var model = (string)values["model"]!;
        if (!_sources.TryGetValue(model, out var source))
            throw ApiFailure.Invalid("model", $"{model} reports are not available on this server");
        var filters = ReportFilters.Parse(values.GetValueOrDefault("filters") as JToken);
        await CheckFiltersAsync(caller, source, filters);

        values["userId"] = caller.UserId;
        values["userType"] = caller.UserType;
        values["status"] = ReportResource.Pending;
        var id = Core.Ids.NewId();
        var row = await Db.WriteAsync(async (conn, tx) =>
        {
            await ResourceStore.InsertAsync(conn, tx, Spec, caller.CustomerId, values, Now, id);
            return await ResourceStore.GetRequiredAsync(conn, Spec, caller.CustomerId, id, tx);
        });
        queue.Signal();
        return Render(row);
    }

    public override Task<JObject> UpdateAsync(Caller caller, string id, JToken? body) =>
        throw ApiFailure.BadRequest("id", "reports cannot be changed");

    public override Task<JObject> DeleteAsync(Caller caller, string id) =>
        throw ApiFailure.BadRequest("id", "reports cannot be deleted");

    /// <summary>The finished report's CSV file and a file name for it; 409 while it is still being written.</summary>
    public async Task<(string Path, string FileName)> DownloadAsync(Caller caller, string id)
    {
        var report = await GetAsync(caller, id);
        var status = (string?)report["status"];
        if (status != ReportResource.Completed)
            throw ApiFailure.Conflict("status", status == ReportResource.Failed
                ? $"the report failed: {(string?)report["error"]}"
                : $"the report is {status}; download it once its status is completed");
        var path = FilePath(Core.Db, (string)report["id"]!);
        if (!File.Exists(path)) throw new ApiFailure(404, "id", $"the CSV of report {id} is no longer stored");
        var safeName = string.Concat(((string?)report["name"] ?? "report").Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
        return (path, safeName + ".csv");
    }

    public static string FilePath(Database db, string reportId) => Path.Combine(DataFiles.Folder(db, "reports"), reportId + ".csv");

    /// <summary>A bad filter fails the POST naming it (filters.network, …), as the model's own list would.</summary>
    private static async Task CheckFiltersAsync(Caller caller, ReportSource source, ReportFilters filters)
    {
        try
        {
            var parsed = source.ParseQuery(filters.Query);
            await source.ListAsync(caller, Page(parsed, 0, 1));
        }
        catch (ApiFailure e) when (e.Status == 400)
        {
            throw new ApiFailure(400, e.Errors.ToDictionary(x => x.Key.StartsWith("filters", StringComparison.Ordinal) ? x.Key : "filters." + x.Key, x => x.Value));
        }
    }

    /// <summary>The parsed query with its own paging replaced.</summary>
    public static ListRequest Page(ListRequest parsed, int offset, int limit) => new()
    {
        Limit = limit, Offset = offset, Sort = parsed.Sort, Search = parsed.Search, Filters = parsed.Filters,
    };
}
