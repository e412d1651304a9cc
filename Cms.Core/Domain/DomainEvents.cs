namespace Cms.Core.Domain;

/// <summary>Something changed on a network that may change its optimal schedule.</summary>
public sealed record NetworkChanged(string CustomerId, string NetworkId, string Reason);

/// <summary>
/// In-process publish/subscribe for domain changes. Services publish after their transaction commits;
/// the reoptimization loop (and tests) subscribe. A failing subscriber never fails the publisher.
/// </summary>
public sealed class DomainEvents
{
    private readonly List<Action<NetworkChanged>> _networkChanged = [];
    private readonly Lock _lock = new();

    public void OnNetworkChanged(Action<NetworkChanged> handler)
    {
        lock (_lock) _networkChanged.Add(handler);
    }

    public void Publish(NetworkChanged change)
    {
        Action<NetworkChanged>[] handlers;
        lock (_lock) handlers = [.. _networkChanged];
        foreach (var handler in handlers)
        {
            try { handler(change); }
            catch (Exception) { /* a subscriber's bug must not undo a committed change */ }
        }
    }
}
