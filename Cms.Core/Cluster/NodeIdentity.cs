namespace Cms.Core.Cluster;

/// <summary>
/// This host process among the nodes sharing one store: a fresh id per process, so a restarted node is a new node
/// and nothing it held before (charger connections, leases) is mistaken for its own.
/// </summary>
public sealed class NodeIdentity
{
    public string NodeId { get; } = Guid.NewGuid().ToString("N")[..12];
}
