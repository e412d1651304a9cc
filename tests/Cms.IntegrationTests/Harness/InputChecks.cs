using System.Collections.Concurrent;
using Cms.Core.Domain;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Harness;

/// <summary>Checks every optimizer-input resource shares: auth, tenancy, read_only, NetworkChanged.</summary>
public static class InputChecks
{
    public static readonly DateTimeOffset T = new(2031, 5, 1, 0, 0, 0, TimeSpan.Zero);

    public static string At(double minutes) => T.AddMinutes(minutes).ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'");

    public static string Q(double minutes) => Uri.EscapeDataString(At(minutes));

    /// <summary>Collects NetworkChanged events published by the host (publication is synchronous, before the response).</summary>
    public static ConcurrentQueue<NetworkChanged> Changes(this TestHost host)
    {
        var queue = new ConcurrentQueue<NetworkChanged>();
        host.Services.GetRequiredService<DomainEvents>().OnNetworkChanged(queue.Enqueue);
        return queue;
    }

    /// <summary>401 without token; read_only reads but gets 403 on writes; another customer gets 404 and an empty list.</summary>
    public static async Task AuthAndTenancy(TestHost host, string path, JObject existing, object postBody, object? patchBody, bool canDelete)
    {
        var id = existing.Id();
        var network = (string)existing["networkId"]!;
        using var anonymous = host.Client(null!);
        Assert.Equal(401, (await anonymous.Get($"{path}?network={network}")).Status);
        Assert.Equal(401, (await anonymous.Post(path, postBody)).Status);

        using var reader = await host.UserOfType("read_only");
        Assert.Equal(200, (await reader.Get($"{path}?network={network}")).Status);
        Assert.Equal(200, (await reader.Get($"{path}/{id}")).Status);
        Assert.Equal(403, (await reader.Post(path, postBody)).Status);
        if (patchBody is not null) Assert.Equal(403, (await reader.Patch($"{path}/{id}", patchBody)).Status);
        if (canDelete) Assert.Equal(403, (await reader.Delete($"{path}/{id}")).Status);

        var other = await SecondCustomer.CreateAsync(host, "o-" + Guid.NewGuid().ToString("N")[..8]);
        Assert.Equal(404, (await other.Get($"{path}/{id}")).Status);
        if (patchBody is not null) Assert.Equal(404, (await other.Patch($"{path}/{id}", patchBody)).Status);
        if (canDelete) Assert.Equal(404, (await other.Delete($"{path}/{id}")).Status);
        Assert.Equal(0, (await other.Get($"{path}?network={network}")).Total);
        var foreign = await other.Post(path, postBody);
        Assert.Equal(400, foreign.Status);
        Assert.Contains("does not exist", foreign.FailFor("networkId"));
        Assert.Equal(200, (await host.Admin.Get($"{path}/{id}")).Status);
    }
}
