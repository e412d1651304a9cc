using Cms.Core.Auth;

namespace Cms.Core.Tests.Auth;

public sealed class VerifiedCredentialsTests
{
    [Fact]
    public void A_remembered_secret_stops_matching_once_the_secret_changes()
    {
        var old = Secrets.HashPassword("old-secret", 1000);
        Assert.True(VerifiedCredentials.Verify("old-secret", old));
        Assert.True(VerifiedCredentials.Verify("old-secret", old)); // remembered
        Assert.False(VerifiedCredentials.Verify("wrong", old));

        var changed = Secrets.HashPassword("new-secret", 1000);
        Assert.False(VerifiedCredentials.Verify("old-secret", changed));
        Assert.True(VerifiedCredentials.Verify("new-secret", changed));
        // The same secret set again gets a new salt: verified afresh, still right.
        Assert.True(VerifiedCredentials.Verify("new-secret", Secrets.HashPassword("new-secret", 1000)));
    }
}
