using System.Security.Cryptography;
using System.Text;

namespace Cms.Core.Auth;

/// <summary>Password hashing (PBKDF2-SHA256) and API-token generation/hashing.</summary>
public static class Secrets
{
    private const int Iterations = 210_000; // OWASP 2023 guidance for PBKDF2-HMAC-SHA256

    /// <summary>
    /// Charger secrets are checked on every (re)connection, and a site's chargers reconnect together after an outage;
    /// OCPP's security profiles ask for 16+ random characters, so fewer rounds keep a storm cheap without weakening them much.
    /// </summary>
    public const int ChargerSecretIterations = 20_000;

    public static string HashPassword(string password, int iterations = Iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, 32);
        return $"pbkdf2-sha256${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public static bool VerifyPassword(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != "pbkdf2-sha256" || !int.TryParse(parts[1], out var iterations)) return false;
        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>256 random bits, URL-safe. Tokens carry full entropy, so a plain SHA-256 is the right stored form.</summary>
    public static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string HashToken(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>A password nobody knows: the bootstrap admin sets a real one with PATCH /v2/users/me.</summary>
    public static string UnusablePassword() => "!" + NewToken();
}
