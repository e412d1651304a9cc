using System.Data.Common;
using Cms.Core.Resources;
using Dapper;

namespace Cms.Core.Domain.Ocpp;

/// <summary>
/// GET /v2/ocpp_messages without expanding every batch of the log (migration 072) for every page. Listing the whole
/// view sorts and counts every frame ever logged (3.8 s for a million frames, against 0.3 s for the same log one row per
/// frame); here:
/// - the total is the sum of the batches' sizes (and the old per-frame rows) when no filter looks inside a frame;
/// - a page sorted by time (the default, newest first) is read from the latest batches only: enough of them to hold the
///   page, found through the batches' time index, then more if frame filters left the page short.
/// The rows and their order are exactly those of the plain list (<see cref="ResourceStore.ListAsync"/>).
/// </summary>
public static class OcppMessageList
{
    /// <summary>Filters on a batch's own columns (with the customer); every other filter, and search, reads frames.</summary>
    private static readonly HashSet<string> BatchFilters = ["chargepoint", "protocol"];

    /// <summary>Past this many frames before the page's end, a page is read from the whole log.</summary>
    private const int MaxWindowFrames = 100_000;

    public static async Task<(List<IDictionary<string, object?>> Rows, long Total)> ListAsync(DbConnection conn, ResourceSpec spec,
        string customerId, ListRequest request)
    {
        var p = new SqlParams();
        var where = ResourceStore.Conditions(spec, customerId, request, p);
        var byBatch = OnlyBatchFilters(request);
        var total = byBatch
            ? await conn.ExecuteScalarAsync<long>(
                $"SELECT (SELECT COALESCE(SUM(t.\"size\"), 0) FROM ocpp_message_batches t WHERE {string.Join(" AND ", where)}) " +
                $"+ (SELECT COUNT(*) FROM ocpp_messages t WHERE {string.Join(" AND ", where)})", p.Values)
            : await conn.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM ({ResourceStore.Filtered(spec, where)}) counted", p.Values);
        return (await PageAsync(conn, spec, customerId, request, where, p), total);
    }

    private static bool OnlyBatchFilters(ListRequest request) =>
        string.IsNullOrWhiteSpace(request.Search) && request.Filters.Keys.All(BatchFilters.Contains);

    private static async Task<List<IDictionary<string, object?>>> PageAsync(DbConnection conn, ResourceSpec spec, string customerId,
        ListRequest request, List<string> where, SqlParams p)
    {
        bool? newestFirst = (request.Sort ?? spec.DefaultSort).Replace(" ", "", StringComparison.Ordinal) switch
        {
            "timestamp:desc" => true,
            "timestamp:asc" => false,
            _ => null,
        };
        if (newestFirst is { } newest)
        {
            // Frames in the window (the latest or earliest batches holding `need` frames) sort before every frame
            // outside it; so if the window holds the page whole, that is the page. A frame filter may thin the window
            // out: then a larger one, up to the whole log.
            for (var need = (long)request.Offset + request.Limit; need <= MaxWindowFrames; need *= 8)
            {
                if (await WindowEdgeAsync(conn, spec, customerId, request, newest, need) is not { } edge) break;
                var at = p.Add(edge);
                var windowed = new List<string>(where)
                {
                    newest ? $"t.\"batchLast\" >= {at} AND t.\"timestamp\" >= {at}" : $"t.\"batchFirst\" <= {at} AND t.\"timestamp\" <= {at}",
                };
                var page = await ResourceStore.PageAsync(conn, spec, request, windowed, p);
                if (page.Count == request.Limit) return page;
            }
        }
        return await ResourceStore.PageAsync(conn, spec, request, where, p);
    }

    /// <summary>
    /// The time from which on (newest first; up to which, oldest first) the latest (earliest) batches that meet the
    /// request's batch filters hold at least <paramref name="need"/> frames; null if all of them hold fewer.
    /// </summary>
    private static async Task<string?> WindowEdgeAsync(DbConnection conn, ResourceSpec spec, string customerId, ListRequest request,
        bool newestFirst, long need)
    {
        var p = new SqlParams();
        var batchRequest = new ListRequest { Filters = request.Filters.Where(f => BatchFilters.Contains(f.Key)).ToDictionary() };
        var where = string.Join(" AND ", ResourceStore.Conditions(spec, customerId, batchRequest, p));
        var batches = await conn.QueryAsync<(string First, string Last, long Size)>(
            $"SELECT t.\"first\", t.\"last\", t.\"size\" FROM ocpp_message_batches t WHERE {where} " +
            $"ORDER BY t.\"last\" {(newestFirst ? "DESC" : "ASC")} LIMIT {need}", p.Values); // the batches' time indexes
        string? edge = null;
        var frames = 0L;
        foreach (var (first, last, size) in batches)
        {
            var bound = newestFirst ? first : last;
            if (edge is null || (newestFirst ? string.CompareOrdinal(bound, edge) < 0 : string.CompareOrdinal(bound, edge) > 0)) edge = bound;
            frames += size;
            if (frames >= need) return edge;
        }
        return null;
    }
}
