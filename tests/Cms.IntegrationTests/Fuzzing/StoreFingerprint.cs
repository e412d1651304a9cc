using System.Security.Cryptography;
using System.Text;
using Cms.Core.Storage;
using Dapper;

namespace Cms.IntegrationTests.Fuzzing;

/// <summary>
/// A hash of every row an API client can change (logs, optimizations and tokens left out: the host writes those on
/// its own). Equal before and after a refused request means the request wrote nothing.
/// </summary>
public static class StoreFingerprint
{
    private static readonly string[] Tables =
    [
        "customers", "users", "networks", "charge_points", "connectors", "charging_sessions", "meter_values_all", "vehicles", "id_tags",
        "vehicle_telematics", "capacities", "prices", "price_constraints", "dr_events", "baseloads", "solar_meterings",
        "ocpp_settings", "charge_point_ocpp_settings", "ocpp_outbox", "configurations",
    ];

    public static Task<string> OfAsync(Database db) => db.ReadAsync(async conn =>
    {
        var text = new StringBuilder();
        foreach (var table in Tables)
        {
            var rows = await conn.QueryAsync($"SELECT * FROM {table} ORDER BY 1");
            foreach (IDictionary<string, object?> row in rows)
                text.AppendJoin('|', row.Values).Append('\n');
            text.Append("--").Append(table).Append('\n');
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    });
}
