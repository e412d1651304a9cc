using System.Text;

namespace Cms.Host.Cluster;

/// <summary>
/// PostgreSQL advisory lock keys of the cluster, in the two-int key space (apart from the store's own one-bigint keys):
/// the first int says what is locked, the second which one, from a stable hash of its name (two names that collide only
/// share a holder).
/// </summary>
public static class LeaseKeys
{
    public const int Schema = 0x414D5030;   // "AMP0": creating the cluster tables
    public const int Planning = 0x414D5031; // "AMP1": planning one network
    public const int Job = 0x414D5032;      // "AMP2": one background job

    /// <summary>FNV-1a over UTF-8: the same on every node and every run (string.GetHashCode is not).</summary>
    public static int Of(string name)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(name)) hash = (hash ^ b) * 16777619u;
        return unchecked((int)hash);
    }
}
