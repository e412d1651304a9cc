using Cms.Ocpp.Framing;

namespace Cms.Ocpp.Connection;

/// <summary>
/// A relay in front of a connection (proxy mode). It sees each parsed charger frame before the connection does and
/// takes it (true) or leaves it to the connection's own handling (false: the charger's answers to AmpCMS's calls).
/// Called inline on the receive loop: quick, never throws.
/// </summary>
public interface IOcppRelay
{
    bool OnChargerFrame(OcppFrame frame, string raw);

    /// <summary>Ids for AmpCMS's own calls on this connection, from a space the upstream's ids are kept out of.</summary>
    string NewOwnMessageId();
}
