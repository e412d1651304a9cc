using Cms.Core.Auth;
using Cms.Core.Resources;
using Cms.Core.Storage;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Cms.IntegrationTests.Harness;

/// <summary>
/// Another tenant with its own admin and token, written straight into the store (there is no customer API yet),
/// so tests can check that one customer never sees another's rows.
/// </summary>
public static class SecondCustomer
{
    public static async Task<ApiClient> CreateAsync(TestHost host, string shortName)
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
                "INSERT INTO users (id, customerId, created, updated, name, password, firstName, lastName, type, language, oauth, favorite) " +
                "VALUES (@userId, @customerId, @now, @now, @name, @password, 'Admin', @shortName, 'admin', 'en', 0, 0)",
                new { userId, customerId, now, name = "admin-" + shortName, password = Secrets.UnusablePassword(), shortName }, tx);
            await conn.ExecuteAsync("INSERT INTO api_tokens (tokenHash, userId, created) VALUES (@hash, @userId, @now)",
                new { hash = Secrets.HashToken(token), userId, now }, tx);
        });
        return host.Client(token);
    }
}
