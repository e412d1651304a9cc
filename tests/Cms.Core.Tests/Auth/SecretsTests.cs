using Cms.Core.Auth;

namespace Cms.Core.Tests.Auth;

public sealed class SecretsTests
{
    [Fact]
    public void Passwords_are_salted_pbkdf2_and_verify()
    {
        var a = Secrets.HashPassword("correct horse");
        var b = Secrets.HashPassword("correct horse");
        Assert.NotEqual(a, b);
        Assert.StartsWith("pbkdf2-sha256$210000$", a);
        Assert.True(Secrets.VerifyPassword("correct horse", a));
        Assert.False(Secrets.VerifyPassword("wrong horse", a));
        Assert.False(Secrets.VerifyPassword("anything", Secrets.UnusablePassword()));
    }

    [Fact]
    public void Tokens_are_random_and_stored_as_sha256_hex()
    {
        var token = Secrets.NewToken();
        Assert.NotEqual(token, Secrets.NewToken());
        Assert.Equal(43, token.Length);
        Assert.Matches("^[0-9a-f]{64}$", Secrets.HashToken(token));
        Assert.Equal(Secrets.HashToken(token), Secrets.HashToken(token));
    }
}
