using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Cms.Core.Auth;

/// <summary>
/// Charger secrets verified lately, so a reconnect storm pays PBKDF2 once per charger and secret, not once per connection
/// (PBKDF2 dominated admission: ~thousands of reconnects at once on two cores). An entry is an HMAC, under a key that
/// lives only in this process, of the stored hash and the presented password: no password is kept, and a changed
/// secret has a new stored hash (new salt), so the old entry can never match again. Only successes are remembered;
/// bounded by <see cref="Capacity"/> (cleared when full, the next connections verify again).
/// </summary>
public static class VerifiedCredentials
{
    public const int Capacity = 50_000;
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly ConcurrentDictionary<string, byte> Verified = new();

    public static bool Verify(string password, string storedHash)
    {
        var entry = Entry(password, storedHash);
        if (Verified.ContainsKey(entry)) return true;
        if (!Secrets.VerifyPassword(password, storedHash)) return false;
        if (Verified.Count >= Capacity) Verified.Clear();
        Verified.TryAdd(entry, 0);
        return true;
    }

    private static string Entry(string password, string storedHash) =>
        Convert.ToBase64String(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(storedHash + "\n" + password)));
}
