using System.Data.Common;
using Cms.Core.Storage;
using Dapper;

namespace Cms.Core.Domain.Sessions;

/// <summary>
/// Everything sessions and meter values need from the vehicles resource, in one place: whether a vehicle exists
/// in a customer and how to read its name. The vehicles table belongs to the vehicles resource (its own migration);
/// while a store has no such table, no vehicle exists and names are null, so this works before and after it lands.
/// </summary>
public static class VehicleLink
{
    /// <summary>Read once when the owning service is built (after migrations ran).</summary>
    public static bool TableExists(Database db) =>
        db.ReadAsync(conn => conn.ExecuteScalarAsync<long>(
            db.Dialect.TableExistsSql, new { name = "vehicles" })).GetAwaiter().GetResult() > 0;

    /// <summary>SQL for the vehicle's name of row "t" (with a "vehicleId" column).</summary>
    public static string NameSql(bool tableExists) => tableExists
        ? "SELECT v.name FROM vehicles v WHERE v.id = t.vehicleId AND v.customerId = t.customerId"
        : "NULL";

    public static async Task<bool> ExistsAsync(DbConnection conn, DbTransaction tx, bool tableExists, string customerId, string vehicleId) =>
        tableExists && await conn.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM vehicles WHERE id = @vehicleId AND customerId = @customerId",
            new { vehicleId, customerId }, tx) > 0;
}
