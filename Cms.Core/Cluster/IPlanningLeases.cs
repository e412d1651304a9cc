namespace Cms.Core.Cluster;

/// <summary>
/// Who plans a network. One node at a time may run the optimizer for a network; a trigger seen by another node is
/// forwarded to the one that plans it. On one node (SQLite) this node plans every network.
/// </summary>
public interface IPlanningLeases
{
    /// <summary>True when this node holds the network's lease, taking it if it is free.</summary>
    ValueTask<bool> TryHoldAsync(string customerId, string networkId);

    /// <summary>A trigger for a network another node plans: hand it to that node.</summary>
    void Forward(string customerId, string networkId);
}

/// <summary>One node: it plans everything, nothing is forwarded.</summary>
public sealed class SingleNodePlanning : IPlanningLeases
{
    public ValueTask<bool> TryHoldAsync(string customerId, string networkId) => ValueTask.FromResult(true);

    public void Forward(string customerId, string networkId) =>
        throw new InvalidOperationException("a single node holds every planning lease");
}
