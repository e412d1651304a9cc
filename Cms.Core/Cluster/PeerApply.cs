namespace Cms.Core.Cluster;

/// <summary>
/// Marks work done on behalf of another node (a change it announced), so that what it raises here is not announced
/// back to the cluster: no echo loops. Handlers run synchronously, so a thread flag is enough.
/// </summary>
public static class PeerApply
{
    [ThreadStatic] private static bool _active;

    public static bool Active => _active;

    public static void Run(Action action)
    {
        var outer = _active;
        _active = true;
        try { action(); }
        finally { _active = outer; }
    }
}
