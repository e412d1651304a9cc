using System.Data.Common;
using Dapper;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Resources;

/// <summary>
/// Generic SQL for every resource table: insert, update, get, list, delete, always scoped to one customer.
/// Rows come back as name → value with the stored types; <see cref="RowRenderer"/> turns them into JSON.
/// </summary>
public static class ResourceStore
{
    public static async Task<string> InsertAsync(DbConnection conn, DbTransaction tx, ResourceSpec spec,
        string customerId, IReadOnlyDictionary<string, object?> values, DateTimeOffset now, string id)
    {
        var p = new SqlParams();
        var columns = new List<string> { "id", "customerId", "created", "updated" };
        var parameters = new List<string> { p.Add(id), p.Add(customerId), p.Add(Iso.Format(now)), p.Add(Iso.Format(now)) };
        foreach (var (name, value) in values)
        {
            columns.Add(Quote(name));
            parameters.Add(p.Add(ToDb(value)));
        }
        await conn.ExecuteAsync(
            $"INSERT INTO {spec.Table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", parameters)})", p.Values, tx);
        return id;
    }

    public static async Task UpdateAsync(DbConnection conn, DbTransaction tx, ResourceSpec spec,
        string customerId, string id, IReadOnlyDictionary<string, object?> values, DateTimeOffset now)
    {
        var p = new SqlParams();
        var sets = values.Select(v => $"{Quote(v.Key)} = {p.Add(ToDb(v.Value))}")
            .Append($"updated = {p.Add(Iso.Format(now))}");
        var changed = await conn.ExecuteAsync(
            $"UPDATE {spec.Table} SET {string.Join(", ", sets)} WHERE id = {p.Add(id)} AND customerId = {p.Add(customerId)}",
            p.Values, tx);
        if (changed == 0) throw ApiFailure.NotFound(spec.Name, id);
    }

    public static async Task DeleteAsync(DbConnection conn, DbTransaction tx, ResourceSpec spec, string customerId, string id)
    {
        var deleted = await conn.ExecuteAsync($"DELETE FROM {spec.Table} WHERE id = @id AND customerId = @customerId",
            new { id, customerId }, tx);
        if (deleted == 0) throw ApiFailure.NotFound(spec.Name, id);
    }

    public static Task<IDictionary<string, object?>?> GetAsync(DbConnection conn, ResourceSpec spec,
        string customerId, string id, DbTransaction? tx = null) =>
        GetOneAsync(conn, $"{Select(spec)} WHERE t.id = @id AND t.customerId = @customerId", customerId, id, tx);

    /// <summary>The stored columns only, without the derived fields: for checks and lookups on hot paths.</summary>
    public static Task<IDictionary<string, object?>?> GetStoredAsync(DbConnection conn, ResourceSpec spec,
        string customerId, string id, DbTransaction? tx = null) =>
        GetOneAsync(conn, $"SELECT * FROM {spec.ReadTable} WHERE id = @id AND customerId = @customerId", customerId, id, tx);

    private static async Task<IDictionary<string, object?>?> GetOneAsync(DbConnection conn, string sql, string customerId, string id,
        DbTransaction? tx)
    {
        if (!Guid.TryParse(id, out var g)) return null;
        var rows = await conn.QueryAsync(sql, new { id = g.ToString(), customerId }, tx);
        return rows.Cast<IDictionary<string, object?>>().FirstOrDefault();
    }

    public static async Task<IDictionary<string, object?>> GetRequiredAsync(DbConnection conn, ResourceSpec spec,
        string customerId, string id, DbTransaction? tx = null) =>
        await GetAsync(conn, spec, customerId, id, tx) ?? throw ApiFailure.NotFound(spec.Name, id);

    /// <summary>Lists one page and the total before paging. <paramref name="extraWhere"/> lets a service add its own scope.</summary>
    public static async Task<(List<IDictionary<string, object?>> Rows, long Total)> ListAsync(DbConnection conn,
        ResourceSpec spec, string customerId, ListRequest request, IEnumerable<string>? extraWhere = null, SqlParams? p = null)
    {
        p ??= new SqlParams();
        var where = Conditions(spec, customerId, request, p);
        where.AddRange(extraWhere ?? []);
        var total = await conn.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM ({Filtered(spec, where)}) counted", p.Values);
        return (await PageAsync(conn, spec, request, where, p), total);
    }

    /// <summary>The WHERE conditions of a list: the caller's customer, the request's filters and its search.</summary>
    public static List<string> Conditions(ResourceSpec spec, string customerId, ListRequest request, SqlParams p)
    {
        var where = new List<string> { $"t.customerId = {p.Add(customerId)}" };
        foreach (var (param, values) in request.Filters)
        {
            var filter = spec.Filters.FirstOrDefault(f => f.Param == param);
            if (filter is not null) where.Add("(" + filter.ToSql(values, p) + ")");
        }
        if (!string.IsNullOrWhiteSpace(request.Search) && spec.SearchColumns.Count > 0)
        {
            var like = p.Add("%" + request.Search.Trim().ToLowerInvariant() + "%");
            where.Add("(" + string.Join(" OR ", spec.SearchColumns.Select(c => $"LOWER(CAST({c} AS TEXT)) LIKE {like}")) + ")");
        }
        return where;
    }

    /// <summary>The rows that meet the conditions. Derived fields are computed in an inner select so filters and sorts
    /// can use them like columns.</summary>
    public static string Filtered(ResourceSpec spec, IEnumerable<string> where) =>
        $"SELECT * FROM ({Select(spec)}) t WHERE {string.Join(" AND ", where)}";

    /// <summary>The request's page of the rows that meet the conditions, in its order.</summary>
    public static async Task<List<IDictionary<string, object?>>> PageAsync(DbConnection conn, ResourceSpec spec, ListRequest request,
        IEnumerable<string> where, SqlParams p)
    {
        var rows = await conn.QueryAsync(
            $"SELECT * FROM ({Filtered(spec, where)}) page ORDER BY {OrderBy(spec, request.Sort)} LIMIT {request.Limit} OFFSET {request.Offset}", p.Values);
        return rows.Cast<IDictionary<string, object?>>().ToList();
    }

    public static string Select(ResourceSpec spec)
    {
        var derived = spec.Derived.Select(d => $", ({d.Sql}) AS {Quote(d.Name)}");
        return $"SELECT t.*{string.Concat(derived)} FROM {spec.ReadTable} t";
    }

    /// <summary>"field:asc|desc", several separated by commas; only known, non-JSON fields.</summary>
    public static string OrderBy(ResourceSpec spec, string? sort)
    {
        var allowed = spec.SortableNames.ToHashSet();
        var parts = new List<string>();
        foreach (var item in (sort ?? spec.DefaultSort).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bits = item.Split(':');
            var field = SnakeToCamel(bits[0]);
            var direction = bits.Length > 1 ? bits[1].ToLowerInvariant() : "asc";
            if (!allowed.Contains(field) || bits.Length > 2 || direction is not ("asc" or "desc"))
                throw ApiFailure.BadRequest("sort", $"'{item}' is not field:asc or field:desc of a sortable field");
            // Nulls sort as SQLite sorts them (smallest) on both engines; PostgreSQL's default puts them last.
            parts.Add($"{Quote(spec.SortAliases.GetValueOrDefault(field, field))} {(direction == "asc" ? "ASC NULLS FIRST" : "DESC NULLS LAST")}");
        }
        parts.Add("id ASC"); // stable paging when sort keys tie
        return string.Join(", ", parts);
    }

    /// <summary>The spec names sort keys both ways (custom_name, maxCapacity); columns are camelCase.</summary>
    public static string SnakeToCamel(string name)
    {
        var parts = name.Split('_');
        return parts[0] + string.Concat(parts.Skip(1).Select(x => x.Length == 0 ? x : char.ToUpperInvariant(x[0]) + x[1..]));
    }

    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    public static object? ToDb(object? value) => value switch
    {
        null => null,
        bool b => b ? 1L : 0L,
        DateTimeOffset t => Iso.Format(t),
        JToken j => j.ToString(Formatting.None),
        _ => value,
    };
}
