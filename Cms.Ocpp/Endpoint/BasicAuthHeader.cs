using System.Net.Http.Headers;
using System.Text;

namespace Cms.Ocpp.Endpoint;

/// <summary>Reads "Authorization: Basic base64(user:password)". OCPP passwords may contain ':', usernames not.</summary>
public static class BasicAuthHeader
{
    public static bool TryParse(string? header, out string username, out string password)
    {
        username = password = "";
        if (string.IsNullOrEmpty(header) || !AuthenticationHeaderValue.TryParse(header, out var value))
            return false;
        if (!string.Equals(value.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || value.Parameter is null)
            return false;

        // The security whitepaper allows binary (hex-decoded) passwords; Latin1 keeps every byte.
        string decoded;
        try
        {
            var bytes = Convert.FromBase64String(value.Parameter);
            decoded = IsUtf8(bytes) ? Encoding.UTF8.GetString(bytes) : Encoding.Latin1.GetString(bytes);
        }
        catch (FormatException)
        {
            return false;
        }
        var colon = decoded.IndexOf(':');
        if (colon < 0)
            return false;
        username = decoded[..colon];
        password = decoded[(colon + 1)..];
        return true;
    }

    static bool IsUtf8(byte[] bytes)
    {
        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
