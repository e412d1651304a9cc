using System.Collections.Concurrent;

namespace Cms.Core.Domain.Delivery;

/// <summary>Sessions whose charger keeps refusing profiles: the planner treats them as drawing their maximum.</summary>
public sealed class DeliveryFlags
{
    private readonly ConcurrentDictionary<string, byte> _flagged = new();
    private readonly ConcurrentDictionary<string, string> _chargePoints = new();

    public bool IsFlagged(string sessionId) => _flagged.ContainsKey(sessionId);
    public bool Flag(string sessionId) => _flagged.TryAdd(sessionId, 0);
    public bool Clear(string sessionId) => _flagged.TryRemove(sessionId, out _);

    public void Remember(string sessionId, string chargePointId) => _chargePoints[sessionId] = chargePointId;
    public string? ChargePointOf(string sessionId) => _chargePoints.GetValueOrDefault(sessionId);

    /// <summary>True if a session or connector reserve of this charger is remembered.</summary>
    public bool Knows(string chargePointId) => _chargePoints.Values.Contains(chargePointId);

    public void Forget(string sessionId)
    {
        _flagged.TryRemove(sessionId, out _);
        _chargePoints.TryRemove(sessionId, out _);
    }
}
