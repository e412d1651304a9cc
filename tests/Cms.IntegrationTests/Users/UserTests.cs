using Cms.IntegrationTests.Harness;

namespace Cms.IntegrationTests.Users;

public sealed class UserTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TestHost Host => fixture.Host;
    private ApiClient Api => fixture.Host.Admin;

    [Fact]
    public async Task Admin_creates_a_user_who_logs_in_and_edits_themselves()
    {
        var name = "steve-" + Guid.NewGuid().ToString("N")[..6];
        var created = await Api.Create("/v2/users/", new
        {
            name, password = "test-pass", firstName = "Steve", lastName = "Smith", email = "steve@example.com",
            phone = "+14155552671", type = "user", language = "es", oauth = false, favorite = false,
        });
        Assert.Equal("Steve", (string?)created["firstName"]);
        Assert.Equal("es", (string?)created["language"]);
        Assert.Null(created["password"]);
        Assert.True(Guid.TryParse((string?)created["customer"], out _));

        Assert.Equal(401, (await Api.Post("/v2/users/login", new { name, password = "wrong" })).Status);
        var login = await Api.Post("/v2/users/login/", new { name, password = "test-pass" });
        Assert.Equal(200, login.Status);
        using var steve = Host.Client((string)login.First["token"]!);

        var me = await steve.Get("/v2/users/me");
        Assert.Equal(created.Id(), me.First.Id());
        var patched = await steve.Patch("/v2/users/me", new { lastName = "Smythe", password = "new-pass" });
        Assert.Equal("Smythe", (string?)patched.First["lastName"]);
        Assert.Equal(200, (await Api.Post("/v2/users/login", new { name, password = "new-pass" })).Status);
        Assert.Equal(401, (await Api.Post("/v2/users/login", new { name, password = "test-pass" })).Status);

        Assert.NotNull((await steve.Patch("/v2/users/me", new { type = "admin" })).FailFor("type"));
        Assert.Equal(403, (await steve.Post("/v2/users", new { name = "x", password = "p", firstName = "a", lastName = "b" })).Status);
        Assert.Equal(created.Id(), (await Api.Get($"/v2/users/{created.Id()}")).First.Id());
        Assert.Contains((await Api.Get("/v2/users?limit=1000")).Data, u => (string?)u["name"] == name);
    }

    [Fact]
    public async Task Bad_user_bodies_name_the_field()
    {
        Assert.Contains("must match", (await Api.Post("/v2/users", new { name = "p1", password = "p", firstName = "a", lastName = "b", phone = "0155" })).FailFor("phone"));
        Assert.Contains("must match", (await Api.Post("/v2/users", new { name = "p2", password = "p", firstName = "a", lastName = "b", email = "nope" })).FailFor("email"));
        Assert.Contains("must be one of", (await Api.Post("/v2/users", new { name = "p3", password = "p", firstName = "a", lastName = "b", type = "root" })).FailFor("type"));
        Assert.Equal("is required", (await Api.Post("/v2/users", new { name = "p4", password = "p", lastName = "b" })).FailFor("firstName"));
        Assert.Equal(409, (await Api.Post("/v2/users", new { name = "admin", password = "p", firstName = "a", lastName = "b" })).Status);
        Assert.Equal("is required", (await Api.Post("/v2/users/login", new { name = "admin" })).FailFor("password"));
    }

    [Fact]
    public async Task Users_of_another_customer_are_invisible_and_cannot_be_created_there()
    {
        var other = await SecondCustomer.CreateAsync(Host, "usr-" + Guid.NewGuid().ToString("N")[..6]);
        var otherMe = (await other.Get("/v2/users/me")).First;
        Assert.Equal(404, (await Api.Get($"/v2/users/{otherMe.Id()}")).Status);
        Assert.DoesNotContain((await Api.Get("/v2/users?limit=1000")).Data, u => u.Value<string>("id") == otherMe.Id());
        var response = await Api.Post("/v2/users", new { name = "intruder", password = "p", firstName = "a", lastName = "b", customer = (string)otherMe["customer"]! });
        Assert.Equal(403, response.Status);
    }

    [Fact]
    public async Task Switch_moves_a_person_between_their_accounts_by_email()
    {
        var email = $"multi-{Guid.NewGuid():N}@example.com";
        var first = await Api.Create("/v2/users", new { name = "m1-" + email, password = "pw-1", firstName = "M", lastName = "One", email });
        var second = await Api.Create("/v2/users", new { name = "m2-" + email, password = "pw-2", firstName = "M", lastName = "Two", email });
        var login = await Api.Post("/v2/users/login", new { name = "m1-" + email, password = "pw-1" });
        using var m1 = Host.Client((string)login.First["token"]!);
        var switched = await m1.Post($"/v2/users/{second.Id()}/switch", null);
        Assert.Equal(200, switched.Status);
        using var m2 = Host.Client((string)switched.First["token"]!);
        Assert.Equal(second.Id(), (await m2.Get("/v2/users/me")).First.Id());
        Assert.Equal(404, (await m1.Post($"/v2/users/{(await Api.Get("/v2/users/me")).First.Id()}/switch", null)).Status);
        Assert.Equal(first.Id(), (await m1.Get("/v2/users/me")).First.Id());
    }
}
