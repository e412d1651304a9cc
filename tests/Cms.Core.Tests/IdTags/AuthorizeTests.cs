using Cms.Core.Auth;
using Cms.Core.Domain;
using Cms.Core.Domain.IdTags;
using Cms.Core.Resources;
using Cms.Core.Storage;
using Cms.Core.Time;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json.Linq;
using Cms.Core.Tests.Support;

namespace Cms.Core.Tests.IdTags;

/// <summary>IdTagService.AuthorizeAsync against a real (temporary) SQLite store, on fake time.</summary>
public sealed class AuthorizeTests : IAsyncLifetime
{
    private TempDatabase _temp = null!;
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2024-05-01T12:00:00+00:00"));
    private IdTagService _tags = null!;
    private Caller _caller = null!;

    public async Task InitializeAsync()
    {
        _temp = await TempDatabase.CreateAsync();
        var db = _temp.Db;
        _caller = new Caller(Guid.NewGuid().ToString(), await AddCustomerAsync(db, "one"), UserTypes.Admin);
        _tags = new IdTagService(new CoreContext(db, _clock, new GuidIdGenerator(), new DomainEvents()));
    }

    public async Task DisposeAsync() => await _temp.DisposeAsync();

    [Fact]
    public async Task An_unknown_tag_is_invalid_unless_the_charge_point_allows_all_tags()
    {
        Assert.Equal(new IdTagVerdict(IdTagStatus.Invalid), await _tags.AuthorizeAsync(_caller.CustomerId, "NOPE", false));
        Assert.Equal(new IdTagVerdict(IdTagStatus.Accepted), await _tags.AuthorizeAsync(_caller.CustomerId, "NOPE", true));
    }

    [Fact]
    public async Task A_known_tag_is_accepted_case_insensitively_with_its_parent_expiry_vehicle_and_priority()
    {
        var tag = await AddAsync(new { value = "CARD-1", group = "RFID", parentIdTag = "FLEET", expiryDate = "2024-06-01T00:00:00Z", priority = 1 });

        var verdict = await _tags.AuthorizeAsync(_caller.CustomerId, "card-1", false);

        Assert.Equal(IdTagStatus.Accepted, verdict.Status);
        Assert.Equal("FLEET", verdict.ParentIdTag);
        Assert.Equal(DateTimeOffset.Parse("2024-06-01T00:00:00+00:00"), verdict.ExpiryDate);
        Assert.Equal((string?)tag["id"], verdict.IdTagId);
        Assert.Null(verdict.VehicleId);
        Assert.Equal(1, verdict.Priority);
    }

    [Fact]
    public async Task A_tag_expires_when_the_clock_reaches_its_expiry()
    {
        await AddAsync(new { value = "DAYPASS", group = "RFID", expiryDate = "2024-05-01T18:00:00Z" });
        Assert.Equal(IdTagStatus.Accepted, (await _tags.AuthorizeAsync(_caller.CustomerId, "DAYPASS", false)).Status);

        _clock.SetUtcNow(DateTimeOffset.Parse("2024-05-01T18:00:00+00:00"));
        var verdict = await _tags.AuthorizeAsync(_caller.CustomerId, "DAYPASS", true);

        Assert.Equal(IdTagStatus.Expired, verdict.Status);
        Assert.Equal(DateTimeOffset.Parse("2024-05-01T18:00:00+00:00"), verdict.ExpiryDate);
    }

    [Theory]
    [InlineData("Blocked", IdTagStatus.Blocked)]
    [InlineData("Expired", IdTagStatus.Expired)]
    [InlineData("Invalid", IdTagStatus.Invalid)]
    [InlineData("Accepted", IdTagStatus.Accepted)]
    public async Task A_stored_status_is_the_verdict_even_where_all_tags_are_allowed(string status, IdTagStatus expected)
    {
        await AddAsync(new { value = "T-" + status, group = "RFID", status });
        Assert.Equal(expected, (await _tags.AuthorizeAsync(_caller.CustomerId, "T-" + status, allowAllIdTags: true)).Status);
        Assert.Equal(expected, (await _tags.AuthorizeAsync(_caller.CustomerId, "T-" + status, allowAllIdTags: false)).Status);
    }

    [Fact]
    public async Task A_blocked_tag_stays_blocked_after_its_expiry()
    {
        await AddAsync(new { value = "LOST", group = "RFID", status = "Blocked", expiryDate = "2020-01-01T00:00:00Z" });
        Assert.Equal(IdTagStatus.Blocked, (await _tags.AuthorizeAsync(_caller.CustomerId, "LOST", false)).Status);
    }

    [Fact]
    public async Task Another_customers_tag_is_unknown()
    {
        var other = await AddCustomerAsync(_temp.Db, "two");
        await AddAsync(new { value = "MINE", group = "RFID" });
        Assert.Equal(IdTagStatus.Invalid, (await _tags.AuthorizeAsync(other, "MINE", false)).Status);
        Assert.Equal(IdTagStatus.Accepted, (await _tags.AuthorizeAsync(_caller.CustomerId, "MINE", false)).Status);
    }

    private async Task<JObject> AddAsync(object body) => await _tags.CreateAsync(_caller, JObject.FromObject(body));

    private static async Task<string> AddCustomerAsync(Database db, string shortName)
    {
        var id = Guid.NewGuid().ToString();
        var now = Iso.Format(DateTimeOffset.UtcNow);
        await db.WriteAsync(async (conn, tx) => await conn.ExecuteAsync(
            "INSERT INTO customers (id, created, updated, name, shortName) VALUES (@id, @now, @now, @shortName, @shortName)",
            new { id, now, shortName }, tx));
        return id;
    }
}
