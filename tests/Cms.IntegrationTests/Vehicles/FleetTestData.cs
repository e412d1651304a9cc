using Cms.Core.Resources;
using Cms.Core.Storage;
using Cms.IntegrationTests.Harness;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Vehicles;

/// <summary>Setup shared by the vehicle and id tag tests.</summary>
public static class FleetTestData
{
    /// <summary>The admin creates a read_only user, who logs in; returns a client with that user's token.</summary>
    public static async Task<ApiClient> ReadOnlyClientAsync(TestHost host)
    {
        var name = "viewer-" + Guid.NewGuid().ToString("N")[..8];
        await host.Admin.Create("/v2/users", new
        {
            name, password = "a-long-viewer-password", firstName = "View", lastName = "Only", type = "read_only",
        });
        var login = await host.Admin.Post("/v2/users/login", new { name, password = "a-long-viewer-password" });
        Assert.Equal(200, login.Status);
        return host.Client((string)login.First["token"]!);
    }

    /// <summary>A network with one charge point and connector, and an open session for the vehicle on it (no session API yet).</summary>
    public static async Task<string> StartSessionAsync(TestHost host, string vehicleId)
    {
        var network = await host.Admin.Create("/v2/networks", new { name = "Depot", maxCapacity = 100 });
        var chargePoint = await host.Admin.Create("/v2/charge_points", new { networkId = (string)network["id"]!, maxCapacity = 22 });
        var connector = await host.Admin.Create("/v2/connectors", new
        {
            chargePointId = (string)chargePoint["id"]!, connectorId = 1, currentType = "AC_phase3_LN", voltage = 230, maxCapacity = 22,
        });
        var db = host.Services.GetRequiredService<Database>();
        var customerId = await db.ReadAsync(conn => conn.ExecuteScalarAsync<string>(
            "SELECT customerId FROM networks WHERE id = @id", new { id = (string)network["id"]! }));
        var now = Iso.Format(DateTimeOffset.UtcNow);
        await db.WriteAsync(async (conn, tx) => await conn.ExecuteAsync(
            "INSERT INTO charging_sessions (id, customerId, created, updated, chargePointId, connectorId, connectorNumber, networkId, " +
            "chargingRateUnit, vehicleId, sessionStart) VALUES (@id, @customerId, @now, @now, @cp, @connector, 1, @network, 'kW', @vehicleId, @now)",
            new
            {
                id = Guid.NewGuid().ToString(), customerId, now, cp = (string)chargePoint["id"]!, connector = (string)connector["id"]!,
                network = (string)network["id"]!, vehicleId,
            }, tx));
        return (string)network["id"]!;
    }

    public static async Task<long> CountRowsAsync(TestHost host, string table) =>
        await host.Services.GetRequiredService<Database>().ReadAsync(conn => conn.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}"));

    public static List<string?> Strings(this ApiResponse response, string field) =>
        response.Data.Select(d => (string?)d[field]).ToList();

    public static JObject Without(this JObject o, params string[] names)
    {
        var copy = (JObject)o.DeepClone();
        foreach (var n in names) copy.Remove(n);
        return copy;
    }
}
