using Cms.Core.Domain.Networks;
using Cms.Core.Resources;

namespace Cms.Core.Tests.Resources;

public sealed class ListRequestTests
{
    private static ListRequest Parse(params (string Key, string Value)[] query) =>
        ListRequest.From(query.GroupBy(q => q.Key).Select(g => new KeyValuePair<string, string[]>(g.Key, g.Select(x => x.Value).ToArray())),
            NetworkResource.Spec);

    [Fact]
    public void Paging_defaults_and_bounds()
    {
        var request = Parse();
        Assert.Equal(100, request.Limit);
        Assert.Equal(0, request.Offset);
        Assert.Equal(1000, Parse(("limit", "1000")).Limit);
        Assert.Throws<ApiFailure>(() => Parse(("limit", "0")));
        Assert.Throws<ApiFailure>(() => Parse(("offset", "-1")));
        Assert.Equal("unknown query parameter", Assert.Throws<ApiFailure>(() => Parse(("bogus", "1"))).Errors["bogus"]);
    }

    [Fact]
    public void Sort_accepts_camel_and_snake_names_and_refuses_secrets()
    {
        Assert.Equal("\"maxCapacity\" DESC NULLS LAST, \"name\" ASC NULLS FIRST, id ASC", ResourceStore.OrderBy(NetworkResource.Spec, "max_capacity:desc,name"));
        Assert.Throws<ApiFailure>(() => ResourceStore.OrderBy(NetworkResource.Spec, "webhookSecret:asc"));
        Assert.Throws<ApiFailure>(() => ResourceStore.OrderBy(NetworkResource.Spec, "name:sideways"));
        Assert.Throws<ApiFailure>(() => ResourceStore.OrderBy(NetworkResource.Spec, "name; DROP TABLE networks"));
    }
}
