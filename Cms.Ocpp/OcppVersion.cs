namespace Cms.Ocpp;

/// <summary>The OCPP-J versions we speak; chosen per connection from the WebSocket subprotocol.</summary>
public enum OcppVersion
{
    Ocpp16,
    Ocpp201,
}

public static class OcppVersions
{
    public const string Subprotocol16 = "ocpp1.6";
    public const string Subprotocol201 = "ocpp2.0.1";

    public static string ToSubprotocol(this OcppVersion version) =>
        version == OcppVersion.Ocpp16 ? Subprotocol16 : Subprotocol201;

    public static bool TryFromSubprotocol(string? subprotocol, out OcppVersion version)
    {
        // Subprotocol tokens are compared case-insensitively by most stacks; chargers vary in case.
        if (string.Equals(subprotocol, Subprotocol16, StringComparison.OrdinalIgnoreCase))
        {
            version = OcppVersion.Ocpp16;
            return true;
        }
        if (string.Equals(subprotocol, Subprotocol201, StringComparison.OrdinalIgnoreCase))
        {
            version = OcppVersion.Ocpp201;
            return true;
        }
        version = default;
        return false;
    }
}
