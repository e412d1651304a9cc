namespace Cms.Ocpp.Endpoint;

/// <summary>Picks the first OCPP version the client offers that we speak (client's order = preference).</summary>
public static class SubprotocolNegotiator
{
    public static bool TryNegotiate(IEnumerable<string> offered, out string subprotocol, out OcppVersion version)
    {
        foreach (var candidate in offered)
        {
            if (OcppVersions.TryFromSubprotocol(candidate.Trim(), out version))
            {
                // Echo the client's exact token: clients compare the answer to what they sent.
                subprotocol = candidate.Trim();
                return true;
            }
        }
        subprotocol = "";
        version = default;
        return false;
    }
}
