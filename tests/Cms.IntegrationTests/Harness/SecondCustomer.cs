using Cms.Core.Auth;
using Cms.Core.Resources;
using Cms.Core.Storage;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Cms.IntegrationTests.Harness;

/// <summary>
/// Another tenant in the same store, for isolation tests. There is no customer API yet, so the customer, an admin user
/// and its token are written straight into the database.
/// </summary>
public static class SecondCustomer
{
    public static async Task<ApiClient> CreateAsync(TestHost host, string shortName = "other")
    {
        var db = host.Services.GetRequiredService<Database>();
        var token = Secrets.NewToken();
        var now = Iso.Format(DateTimeOffset.UtcNow);
        var customerId = Guid.NewGuid().ToString();
        var userId = Guid.NewGuid().ToString();
        await db.WriteAsync(async (conn, tx) =>
        {
            await conn.ExecuteAsync(
                "INSERT INTO customers (id, created, updated, name, shortName) VALUES (@customerId, @now, @now, @shortName, @shortName)",
                new { customerId, now, shortName }, tx);
            await conn.ExecuteAsync(
                "INSERT INTO users (id, customerId, created, updated, name, password, firstName, lastName, type) " +
                "VALUES (@userId, @customerId, @now, @now, @name, @password, 'Other', 'Admin', 'admin')",
                new { userId, customerId, now, name = "admin-" + shortName, password = Secrets.UnusablePassword() }, tx);
            await conn.ExecuteAsync("INSERT INTO api_tokens (tokenHash, userId, created) VALUES (@hash, @userId, @now)",
                new { hash = Secrets.HashToken(token), userId, now }, tx);
        });
        return host.Client(token);
    }
}
