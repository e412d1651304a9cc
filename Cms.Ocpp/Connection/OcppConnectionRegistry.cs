using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Cms.Ocpp.Connection;

/// <summary>
/// Live connections by (customer short name, OCPP id), both compared ordinally. At most one per
/// charger: registering a new one hands back the one it replaced so the caller can close it.
/// </summary>
public sealed class OcppConnectionRegistry
{
    readonly ConcurrentDictionary<(string Customer, string OcppId), OcppConnection> _connections = new();

    public int Count => _connections.Count;

    public IReadOnlyList<OcppConnection> Connections => _connections.Values.ToList();

    public bool TryGet(string customerShortName, string ocppId, [NotNullWhen(true)] out OcppConnection? connection) =>
        _connections.TryGetValue((customerShortName, ocppId), out connection);

    /// <summary>Adds or replaces; returns the replaced connection, if any.</summary>
    public OcppConnection? Register(OcppConnection connection)
    {
        OcppConnection? replaced = null;
        _connections.AddOrUpdate(Key(connection), connection, (_, old) =>
        {
            replaced = old;
            return connection;
        });
        return ReferenceEquals(replaced, connection) ? null : replaced;
    }

    /// <summary>Removes this exact connection; a newer one for the same charger stays.</summary>
    public bool Remove(OcppConnection connection) =>
        _connections.TryRemove(new KeyValuePair<(string, string), OcppConnection>(Key(connection), connection));

    static (string, string) Key(OcppConnection c) => (c.Info.CustomerShortName, c.Info.OcppId);
}
