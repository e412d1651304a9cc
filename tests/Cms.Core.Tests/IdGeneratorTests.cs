using Cms.Core.Time;

namespace Cms.Core.Tests;

/// <summary>Resource ids are UUIDs that sort in the order they were made (so high-rate inserts append to their id index).</summary>
public class IdGeneratorTests
{
    [Fact]
    public void Ids_are_version_7_uuids_that_sort_in_creation_order()
    {
        var generator = new GuidIdGenerator();
        var ids = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add(generator.NewId());
            Thread.Sleep(2); // the order is by millisecond; within one, the rest of the id is random
        }
        Assert.All(ids, id => Assert.Equal(7, Guid.Parse(id).Version));
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.NotEqual(generator.NewId(), generator.NewId());
    }
}
