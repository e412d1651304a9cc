using Cms.Core.Resources;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Tests.Resources;

public sealed class BodyValidatorTests
{
    private static readonly FieldSpec[] Fields =
    [
        F.Str("name", 5) with { Required = true, Nullable = false },
        F.Num("power", 0, 10),
        F.Int("count", 1, 4) with { Default = 2L },
        F.Enum("mode", "a", "b"),
        F.Time("at"),
        F.Id("ref") with { Immutable = true },
        F.Str("zip") with { AcceptNumberAsString = true },
    ];

    private static Dictionary<string, object?> Validate(string json, bool create = true) =>
        BodyValidator.Validate(JToken.Parse(json), Fields, create);

    private static IReadOnlyDictionary<string, string> Errors(string json, bool create = true) =>
        Assert.Throws<ApiFailure>(() => Validate(json, create)).Errors;

    [Fact]
    public void Converts_values_and_fills_defaults_on_create()
    {
        var values = Validate("""{"name": "ab", "power": 3, "at": "2021-07-10T17:40:40+02:00", "zip": 90001}""");
        Assert.Equal("ab", values["name"]);
        Assert.Equal(3.0, values["power"]);
        Assert.Equal(2L, values["count"]);
        Assert.Equal(new DateTimeOffset(2021, 7, 10, 15, 40, 40, TimeSpan.Zero), values["at"]);
        Assert.Equal("90001", values["zip"]);
    }

    [Fact]
    public void Reports_every_bad_field_at_once()
    {
        var errors = Errors("""{"power": 11, "count": 1.5, "mode": "c", "at": "yesterday", "ref": "x", "extra": 1}""");
        Assert.Equal("is required", errors["name"]);
        Assert.Equal("must be <= 10", errors["power"]);
        Assert.Equal("must be an integer", errors["count"]);
        Assert.StartsWith("must be one of", errors["mode"]);
        Assert.Equal("must be an ISO 8601 date-time", errors["at"]);
        Assert.Equal("must be a UUID", errors["ref"]);
        Assert.Equal("unknown field", errors["extra"]);
    }

    [Fact]
    public void Updates_take_only_what_was_sent_and_refuse_immutable_fields()
    {
        var values = Validate("""{"power": null}""", create: false);
        Assert.Equal(["power"], values.Keys);
        Assert.Null(values["power"]);
        Assert.Equal("cannot be changed after creation", Errors($$"""{"ref": "{{Guid.NewGuid()}}"}""", create: false)["ref"]);
        Assert.Equal("must not be null", Errors("""{"name": null}""", create: false)["name"]);
    }

    [Theory]
    [InlineData("""{"name": "toolong"}""", "name", "must be at most 5 characters")]
    [InlineData("""{"name": 5}""", "name", "must be a string")]
    [InlineData("""{"name": "a", "power": "1"}""", "power", "must be a number")]
    [InlineData("""{"name": "a", "count": 5}""", "count", "must be <= 4")]
    [InlineData("""{"name": "a", "count": 99999999999999999999}""", "count", "is out of range")]
    public void Names_the_problem(string json, string field, string message) => Assert.Equal(message, Errors(json)[field]);

    [Fact]
    public void A_body_that_is_not_an_object_is_refused()
    {
        Assert.Equal("must be a JSON object", Assert.Throws<ApiFailure>(() => BodyValidator.Validate(new JArray(), Fields, true)).Errors["body"]);
        Assert.Equal("must be a JSON object", Assert.Throws<ApiFailure>(() => BodyValidator.Validate(null, Fields, true)).Errors["body"]);
    }
}
