using System.Data.Common;
using Dapper;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Configurations;

/// <summary>One stored configuration row; <see cref="Body"/> holds only what clients set.</summary>
public sealed record StoredConfiguration(string Id, string CustomerId, string Created, string Updated, string Level, string TargetId, JObject Body);

/// <summary>Reads and writes the configurations table.</summary>
public static class ConfigurationStore
{
    private const string Columns = "id, customerId, created, updated, \"level\", \"targetId\", \"body\"";

    public static async Task<StoredConfiguration?> FindAsync(DbConnection conn, string customerId, string level, string targetId, DbTransaction? tx = null)
    {
        var row = await conn.QueryFirstOrDefaultAsync<Row>(
            $"SELECT {Columns} FROM configurations WHERE customerId = @customerId AND \"level\" = @level AND \"targetId\" = @targetId",
            new { customerId, level, targetId }, tx);
        return row?.ToStored();
    }

    public static async Task<StoredConfiguration?> FindByIdAsync(DbConnection conn, string customerId, string id, DbTransaction? tx = null)
    {
        var row = await conn.QueryFirstOrDefaultAsync<Row>(
            $"SELECT {Columns} FROM configurations WHERE customerId = @customerId AND id = @id", new { customerId, id }, tx);
        return row?.ToStored();
    }

    public static async Task<List<StoredConfiguration>> ListAsync(DbConnection conn, string customerId, string level, DbTransaction? tx = null)
    {
        var rows = await conn.QueryAsync<Row>(
            $"SELECT {Columns} FROM configurations WHERE customerId = @customerId AND \"level\" = @level ORDER BY created",
            new { customerId, level }, tx);
        return rows.Select(r => r.ToStored()).ToList();
    }

    public static Task InsertAsync(DbConnection conn, DbTransaction tx, StoredConfiguration c) =>
        conn.ExecuteAsync(
            "INSERT INTO configurations (id, customerId, created, updated, \"level\", \"targetId\", \"body\") " +
            "VALUES (@Id, @CustomerId, @Created, @Updated, @Level, @TargetId, @body)",
            new { c.Id, c.CustomerId, c.Created, c.Updated, c.Level, c.TargetId, body = c.Body.ToString(Formatting.None) }, tx);

    public static Task UpdateAsync(DbConnection conn, DbTransaction tx, string id, JObject body, string updated) =>
        conn.ExecuteAsync("UPDATE configurations SET \"body\" = @body, updated = @updated WHERE id = @id",
            new { id, body = body.ToString(Formatting.None), updated }, tx);

    public static Task DeleteAsync(DbConnection conn, DbTransaction tx, string id) =>
        conn.ExecuteAsync("DELETE FROM configurations WHERE id = @id", new { id }, tx);

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string CustomerId { get; set; } = "";
        public string Created { get; set; } = "";
        public string Updated { get; set; } = "";
        public string Level { get; set; } = "";
        public string TargetId { get; set; } = "";
        public string Body { get; set; } = "{}";

        public StoredConfiguration ToStored() => new(Id, CustomerId, Created, Updated, Level, TargetId, Parse(Body));
    }

    private static JObject Parse(string text)
    {
        using var reader = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None };
        return JObject.Load(reader);
    }
}
