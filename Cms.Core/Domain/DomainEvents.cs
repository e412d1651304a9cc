namespace Cms.Core.Domain;

/// <summary>Something changed on a network that may change its optimal schedule.</summary>
public sealed record NetworkChanged(string CustomerId, string NetworkId, string Reason);

/// <summary>
/// In-process publish/subscribe for domain changes. Services publish after their transaction commits;
/// the reoptimization loop, the deliveries (and tests) subscribe. A failing subscriber never fails the publisher.
/// </summary>
public sealed class DomainEvents
{
    private readonly Dictionary<Type, List<Delegate>> _handlers = [];
    private readonly Lock _lock = new();

    public void Subscribe<T>(Action<T> handler)
    {
        lock (_lock)
        {
            if (!_handlers.TryGetValue(typeof(T), out var list)) _handlers[typeof(T)] = list = [];
            list.Add(handler);
        }
    }

    public void OnNetworkChanged(Action<NetworkChanged> handler) => Subscribe(handler);

    public void Publish<T>(T change)
    {
        Delegate[] handlers;
        lock (_lock) handlers = _handlers.TryGetValue(typeof(T), out var list) ? [.. list] : [];
        foreach (var handler in handlers)
        {
            try { ((Action<T>)handler)(change); }
            catch (Exception) { /* a subscriber's bug must not undo a committed change */ }
        }
    }
}
